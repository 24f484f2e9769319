import type { DependencyContainer } from 'tsyringe';
import { EventBus, redact, runPipeline, type LoadedPipeline } from '@sparkify/core';
import { cancelOnSignals } from '../cancellation.js';
import { loadFromArgs, type PipelineArgs } from '../load.js';
import { attachRenderer, type Io, type OutputFlags } from '../output.js';
import { formatError } from '../render/format-error.js';
import { formatRunSummary } from '../render/run-summary.js';

export type RunArgs = PipelineArgs & OutputFlags;

/** `sparkify run`: load, run, render; returns the exit code. */
export async function runVerb(container: DependencyContainer, args: RunArgs, io: Io): Promise<number> {
  return runAndRender(container, await loadFromArgs(container, args), args, io);
}

/**
 * Runs a loaded pipeline with the renderer the flags ask for, Ctrl-C wired to cancel it, and the
 * summary and any error printed with secrets redacted; returns the exit code.
 */
export async function runAndRender(container: DependencyContainer, loaded: LoadedPipeline, flags: OutputFlags, io: Io): Promise<number> {
  const secrets = loaded.params.secrets;
  const events = new EventBus();
  const detach = attachRenderer(events, flags, io, secrets);
  const cancellation = cancelOnSignals();
  try {
    const outcome = await runPipeline(loaded, { container, events, signal: cancellation.signal });
    if (!flags.json && !flags.quiet) io.stdout(`\n${redact(formatRunSummary(outcome.summary), secrets)}\n`);
    if (outcome.error) {
      io.stderr(`${redact(formatError(outcome.error), secrets)}\n`);
      return outcome.error.exitCode;
    }
    return 0;
  } finally {
    cancellation.dispose();
    detach();
  }
}
