/**
 * The page's stylesheet, inlined. Colours are custom properties with a dark variant; the SVG
 * charts use the same classes, so they follow the theme. System fonts only: nothing to fetch.
 */
export const REPORT_CSS = `
:root {
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  --bg: #f4f5f9; --surface: #ffffff; --ink: #161c2d; --muted: #5b6478; --faint: #8b93a6;
  --line: #e3e6ee; --track: #eef0f6; --accent: #5746d8; --accent-soft: #8d80ec; --note-bg: #fff7e6; --note-ink: #7a4b00;
  --s0: #5746d8; --s1: #17a398; --s2: #f0a020; --s3: #e5484d; --s4: #3b9ae1; --s5: #a45ad8;
  --shadow: 0 1px 2px rgba(22, 28, 45, .05), 0 6px 24px rgba(22, 28, 45, .06);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1220; --surface: #161b2c; --ink: #e9ecf4; --muted: #a4acc0; --faint: #7a8398;
    --line: #283047; --track: #20273a; --accent: #9084ff; --accent-soft: #6d62c9; --note-bg: #2d2614; --note-ink: #f3cf86;
    --s0: #9084ff; --s1: #2cc9b9; --s2: #f3b344; --s3: #ff6b70; --s4: #5fb2f0; --s5: #c18af0;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 var(--font); font-feature-settings: "tnum" 1; }
.page { max-width: 1180px; margin: 0 auto; padding: 40px 28px 56px; }
.masthead { margin-bottom: 26px; }
.eyebrow { margin: 0 0 6px; color: var(--accent); font-size: 12.5px; font-weight: 650; letter-spacing: .09em; text-transform: uppercase; }
h1 { margin: 0 0 8px; font-size: clamp(26px, 3.6vw, 38px); line-height: 1.15; letter-spacing: -.02em; font-weight: 750; }
.meta { margin: 0; color: var(--muted); font-size: 14px; }
.meta strong { color: var(--ink); font-weight: 600; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 14px; margin: 0 0 18px; }
.kpi { background: var(--surface); border: 1px solid var(--line); border-radius: 14px; padding: 14px 18px 16px; box-shadow: var(--shadow); }
.kpi p { margin: 0; }
.kpi-label { color: var(--muted); font-size: 12px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; }
.kpi-value { font-size: 30px; font-weight: 750; letter-spacing: -.02em; line-height: 1.25; margin-top: 4px !important; }
.kpi-note { color: var(--muted); font-size: 12.5px; }
.toc { display: flex; flex-wrap: wrap; gap: 6px 8px; margin: 0 0 22px; }
.toc a { color: var(--muted); text-decoration: none; font-size: 13px; padding: 4px 11px; border: 1px solid var(--line); border-radius: 999px; background: var(--surface); }
.toc a:hover, .toc a:focus-visible { color: var(--accent); border-color: var(--accent-soft); }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: 16px; padding: 20px 22px 14px; box-shadow: var(--shadow); min-width: 0; scroll-margin-top: 16px;
  display: flex; flex-direction: column; }
/* Cards in a row share a height; their Table and SQL links line up at the bottom. */
.card > details.more:first-of-type { margin-top: auto; }
.card > .table-wrap + details.more { margin-top: auto; }
.card.wide { grid-column: 1 / -1; }
.card-head { margin-bottom: 12px; }
.card h2 { margin: 0 0 2px; font-size: 17px; font-weight: 680; letter-spacing: -.01em; }
.desc { margin: 0; color: var(--muted); font-size: 13.5px; }
.note { margin: 10px 0 0; padding: 8px 12px; border-radius: 10px; background: var(--note-bg); color: var(--note-ink); font-size: 13px; }
.figure { margin: 4px 0 6px; }
.method { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.empty-note { color: var(--muted); font-size: 14px; }
details.more { border-top: 1px solid var(--line); margin-top: 8px; padding-top: 6px; }
details.more + details.more { margin-top: 0; }
details.more summary { cursor: pointer; color: var(--muted); font-size: 13px; font-weight: 600; padding: 4px 0; list-style-position: inside; }
details.more summary:hover { color: var(--accent); }
details.more[open] summary { margin-bottom: 6px; }
pre { margin: 0 0 8px; padding: 12px 14px; background: var(--track); border-radius: 10px; overflow-x: auto; font: 12px/1.55 var(--mono); color: var(--ink); }
.table-wrap { overflow-x: auto; margin-bottom: 6px; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th { text-align: left; color: var(--muted); font-size: 11.5px; font-weight: 650; letter-spacing: .05em; text-transform: uppercase; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: var(--track); }
.num { text-align: right; white-space: nowrap; }
.footer { margin-top: 34px; color: var(--faint); font-size: 13px; text-align: center; }
code { font-family: var(--mono); font-size: .92em; }

svg.chart { display: block; width: 100%; height: auto; overflow: visible; font-family: var(--font); }
svg.chart text { fill: var(--muted); font-size: 12px; }
svg.chart .tick { fill: var(--faint); font-size: 11.5px; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .baseline { stroke: var(--faint); }
svg.chart .bar { fill: var(--accent); }
svg.chart .bars .bar { fill: var(--accent-soft); }
svg.chart .bars .bar.peak { fill: var(--accent); }
svg.chart .track { fill: var(--track); }
svg.chart circle.track { fill: none; stroke: var(--track); }
svg.chart .area { fill: var(--accent); opacity: .13; }
svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 2.25; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .point { fill: var(--surface); stroke: var(--accent); stroke-width: 1.6; }
svg.chart .point:hover { fill: var(--accent); }
svg.chart .mean line { stroke: var(--faint); stroke-dasharray: 4 4; }
svg.chart .mean text { fill: var(--muted); font-size: 11.5px; }
svg.chart .annotation { fill: var(--ink); font-size: 12px; font-weight: 650; }
svg.chart .value { fill: var(--ink); font-size: 12px; font-weight: 550; }
svg.chart .label { fill: var(--ink); font-size: 12.5px; font-weight: 550; }
svg.chart .sublabel { fill: var(--muted); font-size: 11.5px; }
svg.chart .rank { fill: var(--faint); font-size: 11.5px; font-weight: 600; }
svg.chart .row:hover .bar, svg.chart .bars g:hover .bar { fill: var(--accent); }
svg.chart .s0 { fill: var(--s0); } svg.chart .s1 { fill: var(--s1); } svg.chart .s2 { fill: var(--s2); }
svg.chart .s3 { fill: var(--s3); } svg.chart .s4 { fill: var(--s4); } svg.chart .s5 { fill: var(--s5); }
svg.chart .slice:hover { opacity: .85; }
svg.chart .donut-total { fill: var(--ink); font-size: 24px; font-weight: 750; }
svg.chart .donut-name { fill: var(--muted); font-size: 11.5px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; }
svg.chart .meter-figure { fill: var(--ink); font-size: 32px; font-weight: 750; letter-spacing: -.02em; }
svg.chart .meter-caption { fill: var(--muted); font-size: 13.5px; }
svg.chart .empty { fill: var(--faint); font-size: 13px; }

@media (max-width: 860px) {
  .page { padding: 26px 16px 40px; }
  .grid { grid-template-columns: minmax(0, 1fr); gap: 14px; }
  .card { padding: 16px 16px 10px; }
}
@media (max-width: 640px) {
  /* Wide charts keep a legible size and scroll sideways rather than shrink to a third. */
  .card.wide .figure { overflow-x: auto; }
  .card.wide svg.chart { min-width: 620px; }
  .card.wide svg.chart text { font-size: 19px; }
}
@media print {
  body { background: #fff; }
  .toc, details.more { display: none; }
  .card, .kpi { box-shadow: none; break-inside: avoid; }
}
`;
