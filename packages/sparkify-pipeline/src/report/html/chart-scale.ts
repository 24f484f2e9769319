/** Axis arithmetic for the SVG charts: round tick steps, short tick labels, short coordinates. */

/** Ticks from 0 to a round maximum at or above `max`: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  const step = Math.max(1, nice * power);
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
  return ticks;
}

/** 950 → "950", 12,500 → "12.5k", 3,000,000 → "3M". */
export function tickLabel(n: number): string {
  const compact = (v: number, suffix: string) => `${Number(v.toFixed(1))}${suffix}`;
  if (Math.abs(n) >= 1e6) return compact(n / 1e6, 'M');
  if (Math.abs(n) >= 1e4) return compact(n / 1e3, 'k');
  return n.toLocaleString('en-US');
}

/** A coordinate with at most one decimal: short, stable output. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Text cut to `max` characters with an ellipsis; the full text goes in the mark's <title>. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}
