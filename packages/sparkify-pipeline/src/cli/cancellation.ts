/**
 * Ctrl-C (SIGINT) or SIGTERM aborts the run: running warehouse statements are cancelled and
 * nothing is committed. A second signal exits at once.
 */
export function cancelOnSignals(onFirst: () => void = () => {}): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`\n${name} again: exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${name}: cancelling (press Ctrl-C again to exit at once)\n`);
    onFirst();
    controller.abort(new Error(name));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
