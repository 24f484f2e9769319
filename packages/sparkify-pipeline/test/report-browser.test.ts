import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createRootContainer } from '../src/cli/composition-root.js';
import { reportVerb } from '../src/cli/verbs/report-verb.js';
import { hostileReport, HOSTILE } from './fixtures/hostile-report.js';
import { renderReportHtml } from '../src/report/html/report-page.js';
import { reportQuestions } from '../src/report/report-questions.js';
import { LOCAL_PIPELINE, REPO_ROOT, removeDir, runPipelineFile, tempDir, UDACITY_SAMPLE } from '../src/testing.js';

// The HTML report in a real browser: the system Chromium (never a downloaded one), driven by
// playwright-core, opening the page from a file:// URL with networking features off.
// CI installs Chromium (.ci/run); SPARKIFY_SKIP_BROWSER=1 skips this file where it cannot run.
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(REPO_ROOT, 'packages/sparkify-pipeline/test/output');
const skip = process.env['SPARKIFY_SKIP_BROWSER'] === '1';
/** Evaluated in the page (a string: this project compiles without the DOM library). */
const FITS_WIDTH = 'document.documentElement.scrollWidth <= window.innerWidth';

let dir: string;
let context: BrowserContext;

/** What the page did besides drawing: console errors, uncaught errors, requests and failures. */
interface PageLog {
  errors: string[];
  requests: string[];
  failed: string[];
}

async function open(file: string, width: number): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const log: PageLog = { errors: [], requests: [], failed: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log.errors.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => log.errors.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    log.errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('requestfailed', (request) => log.failed.push(`${request.url()}: ${request.failure()?.errorText ?? '?'}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, log };
}

/** Per chart: its id, its drawn marks (rect/path/circle of class "mark") and its rendered size. */
async function charts(page: Page): Promise<{ id: string; marks: number; width: number; height: number }[]> {
  return page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('rect.mark, path.mark, circle.mark')].filter((m) => {
        const b = (m as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return b.width > 0 || b.height > 0;
      });
      return { id: svg.getAttribute('data-chart') ?? '', marks: marks.length, width: box.width, height: box.height };
    }),
  );
}

(skip ? describe.skip : describe)('the HTML report in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: the report's browser test needs it. Install it with ` +
          '`apt-get install -y chromium` (CI does in .ci/run), or set SPARKIFY_SKIP_BROWSER=1 to skip this test.',
      );
    }
    dir = await tempDir('sparkify-report-browser-');
    await mkdir(OUTPUT, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) await removeDir(dir);
  });

  it('renders the Udacity sample report with no console errors, no network, and every chart drawn', async () => {
    const params = { data: UDACITY_SAMPLE, warehouse: join(dir, 'udacity.duckdb') };
    expect((await runPipelineFile(LOCAL_PIPELINE, params)).error).toBeUndefined();
    const file = join(OUTPUT, 'report.html');
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), stdoutIsTty: false };
    expect(await reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: { warehouse: params.warehouse }, html: file }, io)).toBe(0);

    const { page, log } = await open(file, 1280);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    expect(log.requests).toEqual([pathToFileURL(file).href]);

    const drawn = await charts(page);
    const expected = reportQuestions.filter((q) => q.chart.kind !== 'table').map((q) => `chart-${q.id}`);
    expect(drawn.map((c) => c.id)).toEqual(expected);
    for (const chart of drawn) {
      expect({ id: chart.id, drawn: chart.marks > 0 && chart.width > 200 && chart.height > 30 }).toEqual({ id: chart.id, drawn: true });
    }
    // The 24-bar hour chart, a point per day, a slice per level and user count.
    expect(drawn.find((c) => c.id === 'chart-plays-by-hour')!.marks).toBe(24);
    expect(drawn.find((c) => c.id === 'chart-plays-per-day')!.marks).toBe(2 + 30);
    expect(drawn.find((c) => c.id === 'chart-free-vs-paid')!.marks).toBe(4);
    // Each chart is named for assistive technology.
    expect(await page.$$eval('svg.chart', (svgs) => svgs.every((s) => s.querySelector(':scope > title')?.textContent && s.getAttribute('role') === 'img'))).toBe(true);
    expect(await page.evaluate(FITS_WIDTH)).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('lays the page out in one column on a phone, without sideways scrolling', async () => {
    const { page, log } = await open(join(OUTPUT, 'report.html'), 390);
    expect(log.errors).toEqual([]);
    expect(await page.evaluate(FITS_WIDTH)).toBe(true);
    const lefts = await page.$$eval('.card', (cards) => [...new Set(cards.map((c) => Math.round(c.getBoundingClientRect().left)))]);
    expect(lefts).toHaveLength(1);
    await page.screenshot({ path: join(OUTPUT, 'report-phone.png'), fullPage: true });
    await page.close();
  });

  it('shows hostile warehouse values as text: no element, handler or dialog comes from them', async () => {
    const file = join(dir, 'hostile.html');
    await writeFile(file, renderReportHtml(hostileReport()));
    const { page, log } = await open(file, 1280);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([pathToFileURL(file).href]);
    expect(await page.$$eval('script, img, iframe, object, embed', (found) => found.length)).toBe(0);
    const withHandlers = await page.$$eval('*', (all) => all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length);
    expect(withHandlers).toBe(0);
    const cells = await page.$$eval('td', (tds) => tds.map((td) => td.textContent ?? ''));
    for (const value of HOSTILE.slice(0, 5)) expect(cells).toContain(value);
    expect(await page.title()).toBe(`Sparkify listening report · ${HOSTILE[0]}`);
    await page.close();
  });
});
