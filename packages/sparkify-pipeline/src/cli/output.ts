import type { EventBus } from '@sparkify/core';
import { attachJsonLines } from './render/json-lines-renderer.js';
import { attachProgress } from './render/progress-renderer.js';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
}

/** Where a verb's output goes. Tests pass their own; the CLI passes the process streams. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTty: boolean;
}

// A reader that goes away early (`sparkify query … | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTty: Boolean(process.stdout.isTTY),
};

/** Attaches the renderer the flags ask for; returns the detach function. */
export function attachRenderer(events: EventBus, flags: OutputFlags, io: Io, secrets: Set<string>): () => void {
  if (flags.json) return attachJsonLines(events, secrets, io.stdout);
  if (flags.quiet) return () => {};
  return attachProgress(events, { tty: io.stdoutIsTty, write: io.stdout, secrets });
}
