import { formatNumber, formatPercent } from '../format-value.js';
import { clip, niceTicks, px, tickLabel } from './chart-scale.js';
import { escapeHtml as esc, safeId } from './escape.js';

/**
 * Inline SVG charts, rendered here so the page needs nothing at view time. Each chart is an
 * `<svg role="img">` named by its own `<title>` and `<desc>`; every mark carries a `<title>`
 * (the browser's tooltip, and what a screen reader reads). Colours come from classes the page's
 * stylesheet defines, so the charts follow its light and dark themes. All text passes `esc`.
 */
export interface ChartLabel {
  /** Unique in the page: the ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  description: string;
}

export interface Datum {
  label: string;
  /** A second, muted line under the label (bar charts). */
  sublabel?: string;
  value: number;
}

/** viewBox widths: a half-width card and a full-width one (the page scales them to fit). */
export const HALF_WIDTH = 480;
export const WIDE_WIDTH = 960;

interface Box {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

function svg(label: ChartLabel, width: number, height: number, body: string[]): string {
  const id = safeId(label.id);
  return [
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" data-chart="${id}">`,
    `<title id="${id}-title">${esc(label.title)}</title>`,
    `<desc id="${id}-desc">${esc(label.description)}</desc>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function tooltip(text: string): string {
  return `<title>${esc(text)}</title>`;
}

/** Horizontal grid lines with their values on the left. */
function valueAxis(box: Box, ticks: number[], y: (v: number) => number): string {
  const lines = ticks.map((tick) => {
    const at = px(y(tick));
    return `<line class="grid${tick === 0 ? ' baseline' : ''}" x1="${box.left}" x2="${box.width - box.right}" y1="${at}" y2="${at}"/>` +
      `<text class="tick" x="${box.left - 8}" y="${at}" dy="0.32em" text-anchor="end">${esc(tickLabel(tick))}</text>`;
  });
  return `<g class="axis y-axis">${lines.join('')}</g>`;
}

// ---------------------------------------------------------------------------------------------
// Line over calendar days

export interface DayPoint {
  /** YYYY-MM-DD */
  day: string;
  value: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;
/** Beyond this span, days are not filled in (a stray date would make thousands of points). */
const MAX_FILLED_DAYS = 3_660;

/** Every day from the first to the last, missing ones as 0, when the labels are dates. */
export function fillDays(points: readonly DayPoint[]): DayPoint[] {
  const times = points.map((p) => (/^\d{4}-\d{2}-\d{2}$/.test(p.day) ? Date.parse(`${p.day}T00:00:00Z`) : NaN));
  if (points.length < 2 || times.some((t) => Number.isNaN(t))) return [...points];
  const first = Math.min(...times);
  const last = Math.max(...times);
  if ((last - first) / DAY_MS > MAX_FILLED_DAYS) return [...points];
  const values = new Map(points.map((p, i) => [times[i]!, p.value]));
  const filled: DayPoint[] = [];
  for (let t = first; t <= last; t += DAY_MS) filled.push({ day: new Date(t).toISOString().slice(0, 10), value: values.get(t) ?? 0 });
  return filled;
}

function shortDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${MONTHS[Number(match[2]) - 1] ?? match[2]} ${Number(match[3])}` : day;
}

export function lineChart(label: ChartLabel, input: readonly DayPoint[], unit: string): string {
  const points = fillDays(input);
  const box: Box = { width: WIDE_WIDTH, height: 300, top: 28, right: 76, bottom: 34, left: 56 };
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const max = Math.max(0, ...points.map((p) => p.value));
  const ticks = niceTicks(max);
  const top = ticks.at(-1)!;
  const x = (i: number) => box.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => box.top + plotH - (v / top) * plotH;
  const body = [valueAxis(box, ticks, y)];
  if (points.length === 0) return svg(label, box.width, box.height, [...body, emptyNote(box)]);

  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(i))},${px(y(p.value))}`).join('');
  const area = `${line}L${px(x(points.length - 1))},${px(y(0))}L${px(x(0))},${px(y(0))}Z`;
  body.push(`<path class="mark area" d="${area}"/>`, `<path class="mark line" d="${line}"/>`);

  const mean = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  body.push(
    `<g class="mean"><line x1="${box.left}" x2="${box.width - box.right}" y1="${px(y(mean))}" y2="${px(y(mean))}"/>` +
      `<text x="${box.width - box.right + 8}" y="${px(y(mean))}" dy="0.32em">${esc(`avg ${formatNumber(Math.round(mean))}`)}</text></g>`,
  );
  if (points.length <= 120) {
    body.push(
      `<g class="points">${points
        .map((p, i) => `<circle class="mark point" cx="${px(x(i))}" cy="${px(y(p.value))}" r="3">${tooltip(`${p.day}: ${formatNumber(p.value)} ${unit}`)}</circle>`)
        .join('')}</g>`,
    );
  }
  const peak = points.reduce((best, p, i) => (p.value > points[best]!.value ? i : best), 0);
  const peakX = Math.min(Math.max(x(peak), box.left + 60), box.width - box.right - 60);
  body.push(
    `<text class="annotation" x="${px(peakX)}" y="${px(y(points[peak]!.value) - 10)}" text-anchor="middle">${esc(
      `peak ${formatNumber(points[peak]!.value)} · ${shortDay(points[peak]!.day)}`,
    )}</text>`,
  );

  const every = Math.max(1, Math.ceil(points.length / 10));
  const labels = points
    .map((p, i) => (i % every === 0 ? `<text class="tick" x="${px(x(i))}" y="${box.height - box.bottom + 20}" text-anchor="middle">${esc(shortDay(p.day))}</text>` : ''))
    .join('');
  body.push(`<g class="axis x-axis">${labels}</g>`);
  return svg(label, box.width, box.height, body);
}

// ---------------------------------------------------------------------------------------------
// Vertical bars (hours, weekdays)

export function columnChart(label: ChartLabel, data: readonly Datum[], unit: string, width = WIDE_WIDTH): string {
  const box: Box = { width, height: 280, top: 24, right: 12, bottom: 34, left: 52 };
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const top = ticks.at(-1)!;
  const y = (v: number) => box.top + plotH - (v / top) * plotH;
  const band = plotW / Math.max(1, data.length);
  const barW = band * 0.72;
  const peak = Math.max(...data.map((d) => d.value));
  // Room for about one character per 11 units: longer names shorten to three letters (Wed).
  const axisChars = Math.floor(band / 11);
  const body = [valueAxis(box, ticks, y)];
  if (data.length === 0) return svg(label, box.width, box.height, [...body, emptyNote(box)]);
  const bars = data.map((d, i) => {
    const x0 = box.left + i * band + (band - barW) / 2;
    const h = Math.max(0, y(0) - y(d.value));
    const cls = d.value === peak && peak > 0 ? 'mark bar peak' : 'mark bar';
    const valueText = data.length <= 12 ? `<text class="value" x="${px(x0 + barW / 2)}" y="${px(y(d.value) - 6)}" text-anchor="middle">${esc(formatNumber(d.value))}</text>` : '';
    const axisText = d.label.length > axisChars ? d.label.slice(0, 3) : d.label;
    return (
      `<g><rect class="${cls}" x="${px(x0)}" y="${px(y(d.value))}" width="${px(barW)}" height="${px(h)}" rx="2">${tooltip(`${d.label}: ${formatNumber(d.value)} ${unit}`)}</rect>` +
      `${valueText}<text class="tick" x="${px(x0 + barW / 2)}" y="${box.height - box.bottom + 20}" text-anchor="middle">${esc(axisText)}</text></g>`
    );
  });
  body.push(`<g class="bars">${bars.join('')}</g>`);
  return svg(label, box.width, box.height, body);
}

// ---------------------------------------------------------------------------------------------
// Horizontal bars (ranked lists)

export function barChart(label: ChartLabel, data: readonly Datum[], unit: string): string {
  // Label above its bar, value at the right end of the label line: long titles get the whole
  // width instead of a cramped column beside the bars.
  const width = HALF_WIDTH;
  const row = 40;
  const indent = 22;
  const height = Math.max(1, data.length) * row;
  if (data.length === 0) return svg(label, width, 60, [emptyNote({ width, height: 60, top: 0, right: 0, bottom: 0, left: 0 })]);
  const max = Math.max(0, ...data.map((d) => d.value));
  const barW = width - indent;
  const rows = data.map((d, i) => {
    const top = i * row;
    const value = formatNumber(d.value);
    const room = Math.floor((barW - value.length * 8 - 16) / 7.4);
    const title = clip(d.label, d.sublabel ? Math.min(room, Math.max(room - d.sublabel.length - 2, Math.ceil(room * 0.6))) : room);
    const rest = room - [...title].length - 2;
    const sub = d.sublabel && rest >= 6 ? `<tspan class="sublabel" dx="8">${esc(clip(d.sublabel, rest))}</tspan>` : '';
    const w = max > 0 ? Math.max(d.value > 0 ? 3 : 0, (d.value / max) * barW) : 0;
    const full = d.sublabel ? `${d.label} · ${d.sublabel}` : d.label;
    return (
      `<g class="row">${tooltip(`${full}: ${value} ${unit}`)}` +
      `<text class="rank" x="0" y="${top + 14}">${i + 1}</text>` +
      `<text class="label" x="${indent}" y="${top + 14}">${esc(title)}${sub}</text>` +
      `<text class="value" x="${width}" y="${top + 14}" text-anchor="end">${esc(value)}</text>` +
      `<rect class="track" x="${indent}" y="${top + 21}" width="${barW}" height="9" rx="4.5"/>` +
      `<rect class="mark bar" x="${indent}" y="${top + 21}" width="${px(w)}" height="9" rx="4.5"/></g>`
    );
  });
  return svg(label, width, height, rows);
}

// ---------------------------------------------------------------------------------------------
// Donuts (shares of a whole), side by side

export interface DonutGroup {
  /** What the slices count, e.g. "users". */
  name: string;
  slices: readonly Datum[];
}

function point(cx: number, cy: number, r: number, turn: number): string {
  const angle = turn * 2 * Math.PI - Math.PI / 2;
  return `${px(cx + r * Math.cos(angle))},${px(cy + r * Math.sin(angle))}`;
}

/** An annular sector from `from` to `to` (fractions of a turn, clockwise from 12 o'clock). */
function sector(cx: number, cy: number, outer: number, inner: number, from: number, to: number): string {
  if (to - from >= 0.9999) {
    // A whole ring: two half arcs each way (one arc cannot start and end at the same point).
    return (
      `M${point(cx, cy, outer, 0)}A${outer},${outer} 0 1 1 ${point(cx, cy, outer, 0.5)}A${outer},${outer} 0 1 1 ${point(cx, cy, outer, 0)}` +
      `M${point(cx, cy, inner, 0)}A${inner},${inner} 0 1 0 ${point(cx, cy, inner, 0.5)}A${inner},${inner} 0 1 0 ${point(cx, cy, inner, 0)}Z`
    );
  }
  const large = to - from > 0.5 ? 1 : 0;
  return (
    `M${point(cx, cy, outer, from)}A${outer},${outer} 0 ${large} 1 ${point(cx, cy, outer, to)}` +
    `L${point(cx, cy, inner, to)}A${inner},${inner} 0 ${large} 0 ${point(cx, cy, inner, from)}Z`
  );
}

export function donutCharts(label: ChartLabel, groups: readonly DonutGroup[]): string {
  const width = HALF_WIDTH;
  const cellW = width / Math.max(1, groups.length);
  const outer = 74;
  const inner = 50;
  const cy = outer + 8;
  const legendTop = cy + outer + 26;
  const height = legendTop + Math.max(1, ...groups.map((g) => g.slices.length)) * 22;
  const body = groups.map((group, g) => {
    const cx = cellW * g + cellW / 2;
    const total = group.slices.reduce((sum, s) => sum + s.value, 0);
    let turn = 0;
    const slices = group.slices.map((s, i) => {
      const share = total > 0 ? s.value / total : 0;
      const path = share > 0 ? `<path class="mark slice s${i % 6}" fill-rule="evenodd" d="${sector(cx, cy, outer, inner, turn, turn + share)}">${tooltip(`${s.label}: ${formatNumber(s.value)} ${group.name} (${formatPercent(share)})`)}</path>` : '';
      turn += share;
      return path;
    });
    const ring = `<circle class="track" cx="${px(cx)}" cy="${cy}" r="${(outer + inner) / 2}" fill="none" stroke-width="${outer - inner}"/>`;
    const centre =
      `<text class="donut-total" x="${px(cx)}" y="${cy - 4}" text-anchor="middle">${esc(formatNumber(total))}</text>` +
      `<text class="donut-name" x="${px(cx)}" y="${cy + 16}" text-anchor="middle">${esc(group.name)}</text>`;
    const legend = group.slices.map((s, i) => {
      const ly = legendTop + i * 22;
      const share = total > 0 ? s.value / total : 0;
      return (
        `<rect class="swatch s${i % 6}" x="${px(cx - 78)}" y="${ly - 6}" width="12" height="12" rx="3"/>` +
        `<text class="label" x="${px(cx - 60)}" y="${ly}" dy="0.32em">${esc(clip(s.label, 12))}</text>` +
        `<text class="value" x="${px(cx + 84)}" y="${ly}" dy="0.32em" text-anchor="end">${esc(`${formatNumber(s.value)} · ${formatPercent(share)}`)}</text>`
      );
    });
    return `<g class="donut">${ring}${slices.join('')}${centre}${legend.join('')}</g>`;
  });
  return svg(label, width, height, body);
}

// ---------------------------------------------------------------------------------------------
// One part of a whole (the song-match rate)

export function meterChart(label: ChartLabel, part: number, whole: number, names: { part: string; rest: string; unit: string }): string {
  const width = HALF_WIDTH;
  const height = 120;
  const left = 0;
  const barW = width;
  const share = whole > 0 ? part / whole : 0;
  // A share too small to see still gets a sliver: "none" and "a few" must not look the same.
  const w = part > 0 ? Math.max(3, share * barW) : 0;
  const body = [
    `<text class="meter-figure" x="${left}" y="34">${esc(formatPercent(share))}</text>`,
    `<text class="meter-caption" x="${left}" y="58">${esc(`${formatNumber(part)} of ${formatNumber(whole)} ${names.unit} ${names.part}`)}</text>`,
    `<rect class="track" x="${left}" y="74" width="${barW}" height="16" rx="4">${tooltip(`${names.rest}: ${formatNumber(whole - part)} ${names.unit}`)}</rect>`,
    `<rect class="mark bar" x="${left}" y="74" width="${px(w)}" height="16" rx="4">${tooltip(`${names.part}: ${formatNumber(part)} ${names.unit}`)}</rect>`,
    `<text class="tick" x="${left}" y="108">${esc(`${names.part}: ${formatNumber(part)}`)}</text>`,
    `<text class="tick" x="${left + barW}" y="108" text-anchor="end">${esc(`${names.rest}: ${formatNumber(whole - part)}`)}</text>`,
  ];
  return svg(label, width, height, body);
}

function emptyNote(box: Box): string {
  return `<text class="empty" x="${box.width / 2}" y="${box.height / 2}" text-anchor="middle">no rows</text>`;
}
