import { randomUUID } from 'node:crypto';
import type { DependencyContainer } from 'tsyringe';
import { CancelledError, EXIT_CODES, toPipelineError, type PipelineError } from '../errors/pipeline-error.js';
import type { CheckOutcome, ErrorInfo, EventBus, LoadCounts, RunSummary, StepSummary } from '../events/run-events.js';
import { runDag } from '../pipeline/dag.js';
import type { StepContext } from '../plugins/plugin.js';
import { TOKENS } from '../plugins/tokens.js';
import { closeAll, instantiate, lookup, type PipelineInstances } from './instantiate.js';
import type { LoadedPipeline } from './load-pipeline.js';

export interface RunOptions {
  /** The composition root's container; the run gets a child of it. */
  container: DependencyContainer;
  events: EventBus;
  signal?: AbortSignal;
}

export interface RunOutcome {
  summary: RunSummary;
  /** Set when the run failed or was cancelled; the warehouse was rolled back. */
  error?: PipelineError;
}

/**
 * Runs a loaded pipeline: one child container, one unit of work per sink, the steps as a DAG.
 * Either every sink commits, or every sink rolls back and the warehouse is as it was.
 */
export async function runPipeline(loaded: LoadedPipeline, options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const { events } = options;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason ?? new CancelledError());
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  const container = options.container.createChildContainer();
  container.register(TOKENS.EventBus, { useValue: events });
  container.register(TOKENS.AbortSignal, { useValue: abort.signal });
  const summaries = new Map<string, StepSummary>();
  const warnings: string[] = [];
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'warning') warnings.push(event.message);
  });
  events.emit({
    type: 'run.started',
    runId: randomUUID(),
    pipeline: loaded.definition.name,
    steps: loaded.order.map((id) => ({ id, after: loaded.steps.find((s) => s.id === id)!.after })),
  });

  let instances: PipelineInstances | undefined;
  let error: PipelineError | undefined;
  try {
    instances = await instantiate(loaded, container);
    const atomic = loaded.definition.settings.atomic;
    if (atomic) for (const name of instances.usedSinks) await lookup(instances.sinks, name, 'sink').begin({ signal: abort.signal });
    const live = instances;
    await runDag(
      loaded.steps,
      loaded.definition.settings.concurrency,
      (id) => runStep(id, live, events, abort, summaries),
      (id) => summaries.set(id, emptySummary(id, 'skipped')),
    );
    if (abort.signal.aborted) throw new CancelledError();
    if (atomic) for (const name of instances.usedSinks) await lookup(instances.sinks, name, 'sink').commit();
  } catch (caught) {
    // A cancelled run reports the cancellation, not whatever the interrupted statement said.
    error = options.signal?.aborted ? new CancelledError('cancelled', { cause: caught }) : toPipelineError(caught);
    if (instances && loaded.definition.settings.atomic) await rollbackAll(instances);
  }

  const tables = instances && !error ? await countTables(loaded, instances) : [];
  if (instances) await closeAll(instances);
  options.signal?.removeEventListener('abort', onOuterAbort);
  unsubscribe();

  const summary: RunSummary = {
    pipeline: loaded.definition.name,
    status: error ? (error.kind === 'cancelled' ? 'cancelled' : 'failed') : 'finished',
    elapsedMs: Date.now() - started,
    steps: loaded.order.map((id) => summaries.get(id) ?? emptySummary(id, 'skipped')),
    tables,
    warnings,
  };
  if (error) events.emit({ type: 'run.failed', error: errorInfo(error), summary });
  else events.emit({ type: 'run.finished', summary });
  return error ? { summary, error } : { summary };
}

async function runStep(
  id: string,
  instances: PipelineInstances,
  events: EventBus,
  abort: AbortController,
  summaries: Map<string, StepSummary>,
): Promise<void> {
  const step = lookup(instances.steps, id, 'step');
  const started = Date.now();
  const loads: LoadCounts[] = [];
  const checks: CheckOutcome[] = [];
  const context: StepContext = {
    stepId: id,
    signal: abort.signal,
    events,
    source: (name) => lookup(instances.sources, name, 'source'),
    sink: (name) => lookup(instances.sinks, name, 'sink'),
    recordLoad: (load) => {
      loads.push(load);
      events.emit({ type: 'step.rows', step: id, load });
    },
    recordCheck: (check) => {
      checks.push(check);
      events.emit({ type: 'check.result', step: id, check });
    },
    warn: (message) => events.emit({ type: 'warning', step: id, message }),
  };
  events.emit({ type: 'step.started', step: id, description: step.describe() });
  try {
    await step.run(context);
    const summary: StepSummary = { id, status: 'finished', elapsedMs: Date.now() - started, loads, checks };
    summaries.set(id, summary);
    events.emit({ type: 'step.finished', step: id, summary });
  } catch (caught) {
    const error = toPipelineError(caught);
    if (!error.location.step) (error.location as { step?: string }).step = id;
    summaries.set(id, { id, status: error.kind === 'cancelled' ? 'cancelled' : 'failed', elapsedMs: Date.now() - started, loads, checks });
    events.emit({ type: 'step.failed', step: id, error: errorInfo(error) });
    // Stop the other steps: the run is lost anyway and will be rolled back.
    if (!abort.signal.aborted) abort.abort(error);
    throw error;
  }
}

async function rollbackAll(instances: PipelineInstances): Promise<void> {
  for (const name of instances.usedSinks) {
    try {
      await lookup(instances.sinks, name, 'sink').rollback();
    } catch {
      // The unit of work may never have opened; closing the sink discards it anyway.
    }
  }
}

async function countTables(loaded: LoadedPipeline, instances: PipelineInstances): Promise<{ name: string; rows: number }[]> {
  const sinkName = instances.usedSinks[0];
  if (!sinkName) return [];
  const sink = lookup(instances.sinks, sinkName, 'sink');
  const counts: { name: string; rows: number }[] = [];
  for (const table of loaded.catalog.tables) {
    try {
      const result = await sink.query(`SELECT COUNT(*) AS n FROM ${sink.dialect.quoteIdentifier(table.name)}`);
      counts.push({ name: table.name, rows: Number(result.rows[0]?.['n'] ?? 0) });
    } catch {
      // A table the pipeline declares but did not create (a partial pipeline): not counted.
    }
  }
  return counts;
}

function emptySummary(id: string, status: StepSummary['status']): StepSummary {
  return { id, status, elapsedMs: 0, loads: [], checks: [] };
}

export function errorInfo(error: PipelineError): ErrorInfo {
  return {
    kind: error.kind,
    message: error.message,
    location: error.location,
    ...(error.hint ? { hint: error.hint } : {}),
    exitCode: EXIT_CODES[error.kind],
  };
}
