import type { ErrorKind, ErrorLocation } from '../errors/pipeline-error.js';
import type { ReadProgress, RejectedRecord } from '../ports/source.js';

/** A failure as it travels in events and `--json` output: no stack, no secrets. */
export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  location: ErrorLocation;
  hint?: string;
  exitCode: number;
}

export interface LoadCounts {
  table: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejected: RejectedRecord[];
  path: 'server' | 'client';
}

export interface CheckOutcome {
  name: string;
  table?: string;
  passed: boolean;
  /** What was measured, e.g. `0 duplicate songplay_id` or `songplays 6820 = NextSong events 6820`. */
  detail: string;
}

export interface StepSummary {
  id: string;
  status: 'finished' | 'failed' | 'skipped' | 'cancelled';
  elapsedMs: number;
  loads: LoadCounts[];
  checks: CheckOutcome[];
  rowsAffected?: number;
}

export interface RunSummary {
  pipeline: string;
  status: 'finished' | 'failed' | 'cancelled';
  elapsedMs: number;
  steps: StepSummary[];
  /** Row counts of the tables the pipeline declares, read after the run. */
  tables: { name: string; rows: number }[];
  warnings: string[];
}

/** Everything a run reports. Only the CLI's renderers turn these into output. */
export type RunEvent =
  | { type: 'run.started'; at: string; runId: string; pipeline: string; steps: { id: string; after: string[] }[] }
  | { type: 'step.started'; at: string; step: string; description: string }
  | { type: 'step.progress'; at: string; step: string; progress: ReadProgress; table?: string }
  | { type: 'step.rows'; at: string; step: string; load: LoadCounts }
  | { type: 'step.statement'; at: string; step: string; label: string; elapsedMs: number; rowsAffected?: number }
  | { type: 'check.result'; at: string; step: string; check: CheckOutcome }
  | { type: 'warning'; at: string; step?: string; message: string }
  | { type: 'step.finished'; at: string; step: string; summary: StepSummary }
  | { type: 'step.failed'; at: string; step: string; error: ErrorInfo }
  | { type: 'run.finished'; at: string; summary: RunSummary }
  | { type: 'run.failed'; at: string; error: ErrorInfo; summary: RunSummary };

export type RunEventType = RunEvent['type'];

/** Distributes a run's events; listeners must not throw (a renderer bug must not fail a run). */
export class EventBus {
  private readonly listeners = new Set<(event: RunEvent) => void>();

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Emits an event; `at` is stamped here so producers need no clock. */
  emit(event: DistributiveOmit<RunEvent, 'at'>): void {
    const stamped = { ...event, at: new Date().toISOString() } as RunEvent;
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        // A listener's failure is its own; the run goes on.
      }
    }
  }
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
