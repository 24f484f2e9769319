import { answerTable } from '../answer-table.js';
import { formatValue, toNumber, utcMinute } from '../format-value.js';
import { noteFor } from '../report-notes.js';
import type { ReportAnswer, Report } from '../run-report.js';
import { escapeHtml as esc, safeId } from './escape.js';
import { reportKpis } from './report-kpis.js';
import { REPORT_CSS } from './report-style.js';
import { barChart, columnChart, donutCharts, HALF_WIDTH, lineChart, meterChart, WIDE_WIDTH, type ChartLabel } from './svg-charts.js';

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG, no script, no external
 * resource of any kind, so it opens offline and anywhere (a file, a mail attachment, a CI
 * artifact). Every warehouse value is escaped (`esc`).
 */
export function renderReportHtml(report: Report): string {
  const cards = report.answers.map((answer) => card(report, answer)).join('\n');
  const toc = report.answers.map((a) => `<a href="#${safeId(a.question.id)}">${esc(a.question.title)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="sparkify report">
<title>${esc(`Sparkify listening report · ${report.pipeline}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main class="page">
<header class="masthead">
<p class="eyebrow">Sparkify · listening report</p>
<h1>What Sparkify listeners play, when and where</h1>
<p class="meta">Pipeline <strong>${esc(report.pipeline)}</strong> · warehouse <strong>${esc(report.warehouse)}</strong> · generated ${esc(utcMinute(report.generatedAt))} · all times in UTC</p>
</header>
${kpiSection(report)}
<nav class="toc" aria-label="Questions">${toc}</nav>
<div class="grid">
${cards}
</div>
<footer class="footer">Made by <code>sparkify report</code>. Every figure comes from one SQL query on the warehouse, shown with its answer; the same queries run on DuckDB and Redshift.</footer>
</main>
</body>
</html>
`;
}

function kpiSection(report: Report): string {
  const kpis = reportKpis(report);
  if (kpis.length === 0) return '';
  const items = kpis.map(
    (k) => `<div class="kpi"><p class="kpi-label">${esc(k.label)}</p><p class="kpi-value">${esc(k.value)}</p><p class="kpi-note">${esc(k.note)}</p></div>`,
  );
  return `<section class="kpis" aria-label="Key figures">${items.join('')}</section>`;
}

function card(report: Report, answer: ReportAnswer): string {
  const { question } = answer;
  const id = safeId(question.id);
  const note = noteFor(report, question);
  const chart = question.chart.kind === 'table' || answer.rows.length === 0 ? undefined : chartFor(answer);
  const table = tableHtml(answer);
  const body = chart
    ? `<figure class="figure">${chart}</figure>\n<details class="more"><summary>Table</summary>${table}</details>`
    : answer.rows.length === 0
      ? '<p class="empty-note">No rows: the warehouse has nothing for this question yet.</p>'
      : table;
  return `<section class="card${question.wide ? ' wide' : ''}" id="${id}" aria-labelledby="${id}-heading">
<header class="card-head"><h2 id="${id}-heading">${esc(question.title)}</h2><p class="desc">${esc(question.description)}</p>${note ? `<p class="note">${esc(note)}</p>` : ''}</header>
${body}
${question.method ? `<details class="more"><summary>Method</summary><p class="method">${esc(question.method)}</p></details>\n` : ''}<details class="more"><summary>SQL</summary><pre><code>${esc(question.sql)}</code></pre></details>
</section>`;
}

function chartFor(answer: ReportAnswer): string {
  const { question, rows } = answer;
  const chart = question.chart;
  const label: ChartLabel = { id: `chart-${question.id}`, title: question.title, description: question.description };
  const words = (column: string) => column.replace(/_/g, ' ');
  switch (chart.kind) {
    case 'line':
      return lineChart(label, rows.map((r) => ({ day: formatValue(r[chart.x]), value: toNumber(r[chart.y]) })), words(chart.y));
    case 'columns':
      return columnChart(
        label,
        rows.map((r) => ({
          label: chart.xFormat === 'hour' ? String(toNumber(r[chart.x])).padStart(2, '0') : formatValue(r[chart.x]),
          value: toNumber(r[chart.y]),
        })),
        words(chart.y),
        question.wide ? WIDE_WIDTH : HALF_WIDTH,
      );
    case 'bars':
      return barChart(
        label,
        rows.map((r) => {
          const [first, ...rest] = chart.label.map((c) => formatValue(r[c]));
          return { label: first ?? '', ...(rest.length > 0 ? { sublabel: rest.join(' · ') } : {}), value: toNumber(r[chart.value]) };
        }),
        words(chart.value),
      );
    case 'donuts':
      return donutCharts(
        label,
        chart.values.map((column) => ({ name: words(column), slices: rows.map((r) => ({ label: formatValue(r[chart.label]), value: toNumber(r[column]) })) })),
      );
    case 'meter': {
      const row = rows[0] ?? {};
      return meterChart(label, toNumber(row[chart.part]), toNumber(row[chart.whole]), chart.words);
    }
    case 'table':
      return '';
  }
}

function tableHtml(answer: ReportAnswer): string {
  const table = answerTable(answer);
  const cls = (i: number) => (table.numeric[i] ? ' class="num"' : '');
  const head = table.headers.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join('');
  const body = table.cells.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${esc(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
