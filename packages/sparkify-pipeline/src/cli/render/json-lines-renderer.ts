import { redactDeep, type EventBus } from '@sparkify/core';
import { toJson } from './text-format.js';

/** `--json`: every event, one JSON object per line on stdout, secrets redacted; nothing else. */
export function attachJsonLines(events: EventBus, secrets: Set<string>, write: (s: string) => void = (s) => process.stdout.write(s)): () => void {
  return events.subscribe((event) => write(`${toJson(redactDeep(event, secrets))}\n`));
}
