import { hostileReport } from '../../../test/fixtures/hostile-report.js';
import { clip, niceTicks, tickLabel } from './chart-scale.js';
import { escapeHtml, safeId } from './escape.js';
import { renderReportHtml } from './report-page.js';
import { donutCharts, fillDays } from './svg-charts.js';

describe('escapeHtml', () => {
  it('turns the five markup characters into references', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('replaces controls and lone surrogates, keeps whitespace and real pairs', () => {
    expect(escapeHtml('a\u0000b\u0007c\u0085d\te\nf\r\ud83c\udfb5g\udc00')).toBe('a\ufffdb\ufffdc\ufffdd\te\nf\r\ud83c\udfb5g\ufffd');
  });

  it('makes ids of letters, digits and dashes', () => {
    expect(safeId('Top Songs!"<x>')).toBe('top-songs-x');
    expect(safeId('<>')).toBe('x');
  });
});

describe('renderReportHtml with hostile warehouse values', () => {
  const html = renderReportHtml(hostileReport());

  it('never lets a value open a tag, close an attribute or start an entity', () => {
    expect(html).not.toMatch(/<(script|img|iframe)\b/i);
    // Inside tags: `<` in a value is escaped, so every `<` left is our own markup.
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toContain('javascript:alert(4)">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&amp;amp; &amp;lt;b&amp;gt; &amp;#x3C;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f]/);
  });

  it('has no script and fetches nothing: no src, href or url() leaving the page', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*\s(src|srcset)=/i);
    expect([...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]).every((href) => href!.startsWith('#'))).toBe(true);
    expect(html).not.toMatch(/url\(|@import/);
  });
});

describe('chart arithmetic', () => {
  it.each([
    [0, [0, 1]],
    [7, [0, 2, 4, 6, 8]],
    [479, [0, 200, 400, 600]],
    [1364, [0, 500, 1000, 1500]],
    [6820, [0, 2000, 4000, 6000, 8000]],
  ])('niceTicks(%d)', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('labels ticks compactly', () => {
    expect([950, 1500, 12_500, 3_000_000].map(tickLabel)).toEqual(['950', '1,500', '12.5k', '3M']);
  });

  it('fills missing days with zero, and leaves labels that are not dates alone', () => {
    expect(fillDays([{ day: '2018-11-30', value: 5 }, { day: '2018-12-02', value: 7 }])).toEqual([
      { day: '2018-11-30', value: 5 },
      { day: '2018-12-01', value: 0 },
      { day: '2018-12-02', value: 7 },
    ]);
    expect(fillDays([{ day: 'x', value: 1 }, { day: 'y', value: 2 }])).toHaveLength(2);
  });

  it('clips long labels with an ellipsis, by characters not code units', () => {
    expect(clip('Björk', 10)).toBe('Björk');
    expect(clip('Horn Concerto No. 4 in E flat', 10)).toBe('Horn Conc…');
    expect(clip('🎵🎵🎵🎵', 3)).toBe('🎵🎵…');
  });

  it('draws a whole ring when one slice is everything', () => {
    const svg = donutCharts({ id: 'd', title: 't', description: 'd' }, [{ name: 'users', slices: [{ label: 'paid', value: 3 }, { label: 'free', value: 0 }] }]);
    expect(svg.match(/<path class="mark slice/g)).toHaveLength(1);
    expect(svg).toContain('100.0%');
  });
});
