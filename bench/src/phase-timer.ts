/** Wall time per named phase, in milliseconds, in the order the phases ran. */
export class PhaseTimer {
  readonly phases: Record<string, number> = {};

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.phases[name] = (this.phases[name] ?? 0) + performance.now() - started;
    }
  }
}

/** Child scripts report their figures as one JSON line on stdout. */
export function report(figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
