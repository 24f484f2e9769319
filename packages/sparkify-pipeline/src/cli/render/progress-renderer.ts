import { redact, type EventBus, type ReadProgress, type RunEvent } from '@sparkify/core';
import { formatBytes, formatCount, formatDuration } from './text-format.js';

interface StepLine {
  id: string;
  status: 'waiting' | 'running' | 'finished' | 'failed' | 'cancelled' | 'skipped';
  started?: number;
  elapsedMs?: number;
  progress?: ReadProgress;
  note?: string;
}

export interface ProgressOptions {
  /** A terminal: redraw the step lines in place. Otherwise print one line per change, no escape codes. */
  tty: boolean;
  write: (text: string) => void;
  secrets: Set<string>;
  now?: () => number;
}

/** Human progress for `run`: per-step files, bytes, rows, elapsed and ETA. */
export function attachProgress(events: EventBus, options: ProgressOptions): () => void {
  const now = options.now ?? Date.now;
  const steps = new Map<string, StepLine>();
  let drawnLines = 0;
  let lastDraw = 0;
  const write = (text: string) => options.write(redact(text, options.secrets));

  const draw = (force: boolean) => {
    if (!options.tty) return;
    if (!force && now() - lastDraw < 100) return;
    lastDraw = now();
    const lines = [...steps.values()].map((s) => stepLine(s, now()));
    const up = drawnLines > 0 ? `\x1b[${drawnLines}A` : '';
    write(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawnLines = lines.length;
  };
  const timer = options.tty ? setInterval(() => draw(true), 500) : undefined;
  timer?.unref();

  const unsubscribe = events.subscribe((event: RunEvent) => {
    switch (event.type) {
      case 'run.started':
        for (const step of event.steps) steps.set(step.id, { id: step.id, status: 'waiting' });
        draw(true);
        break;
      case 'step.started':
        update(event.step, { status: 'running', started: now(), note: event.description });
        if (!options.tty) write(`▶ ${event.step}: ${event.description}\n`);
        draw(true);
        break;
      case 'step.progress':
        update(event.step, { progress: event.progress });
        draw(false);
        break;
      case 'step.finished':
        update(event.step, { status: 'finished', elapsedMs: event.summary.elapsedMs, note: finishNote(event.summary.loads) });
        if (!options.tty) write(`✔ ${event.step} (${formatDuration(event.summary.elapsedMs)})${prefixed(finishNote(event.summary.loads))}\n`);
        draw(true);
        break;
      case 'step.failed':
        update(event.step, { status: event.error.kind === 'cancelled' ? 'cancelled' : 'failed', note: event.error.message.split('\n')[0] ?? '' });
        if (!options.tty) write(`✖ ${event.step}: ${event.error.message.split('\n')[0]}\n`);
        draw(true);
        break;
      case 'warning':
        if (!options.tty) write(`warning: ${event.message}\n`);
        break;
      case 'run.finished':
      case 'run.failed':
        for (const s of steps.values()) if (s.status === 'waiting') s.status = 'skipped';
        draw(true);
        if (timer) clearInterval(timer);
        break;
      default:
        break;
    }
  });

  function update(id: string, patch: Partial<StepLine>) {
    steps.set(id, { ...(steps.get(id) ?? { id, status: 'waiting' }), ...patch });
  }

  return () => {
    if (timer) clearInterval(timer);
    unsubscribe();
  };
}

const ICONS: Record<StepLine['status'], string> = {
  waiting: '·',
  running: '▶',
  finished: '✔',
  failed: '✖',
  cancelled: '■',
  skipped: '-',
};

function stepLine(step: StepLine, now: number): string {
  const elapsed = step.elapsedMs ?? (step.started ? now - step.started : 0);
  const parts = [`${ICONS[step.status]} ${step.id.padEnd(16)}`];
  if (step.status !== 'waiting' && step.status !== 'skipped') parts.push(formatDuration(elapsed).padStart(8));
  const p = step.progress;
  if (step.status === 'running' && p) {
    const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 0;
    const eta = fraction > 0.02 ? ` ETA ${formatDuration((elapsed / fraction) * (1 - fraction))}` : '';
    parts.push(
      `${bar(fraction)} files ${formatCount(p.objectsDone)}/${formatCount(p.objectsTotal)}  ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}  rows ${formatCount(p.rowsRead)}${p.rowsRejected ? ` (${formatCount(p.rowsRejected)} rejected)` : ''}${eta}`,
    );
  } else if (step.note) {
    parts.push(step.note);
  }
  return parts.join('  ').slice(0, (process.stdout.columns || 120) - 1);
}

function bar(fraction: number): string {
  const width = 20;
  const filled = Math.round(Math.min(1, fraction) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function finishNote(loads: { table: string; rowsLoaded: number; rowsRejected: number }[]): string {
  return loads.map((l) => `${formatCount(l.rowsLoaded)} rows into ${l.table}${l.rowsRejected ? `, ${formatCount(l.rowsRejected)} rejected` : ''}`).join('; ');
}

function prefixed(note: string): string {
  return note ? `: ${note}` : '';
}
