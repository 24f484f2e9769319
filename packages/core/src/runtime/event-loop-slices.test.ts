import { EventLoopSlices } from './event-loop-slices.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('EventLoopSlices', () => {
  it('lets timers and I/O callbacks run between slices of synchronous work', async () => {
    const slices = new EventLoopSlices(2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      for (let piece = 0; piece < 20; piece++) {
        busy(1);
        await slices.pause();
      }
    } finally {
      clearInterval(timer);
    }
    // 20 ms of work in slices of 2 ms: the interval ran between them, not once at the end.
    expect(ticks).toBeGreaterThan(3);
  });

  it('does not yield within a slice', () => {
    const slices = new EventLoopSlices(60_000);
    expect(slices.pause()).toBeUndefined();
  });

  it('yields once the slice is over, and starts the next one after the turn', async () => {
    const slices = new EventLoopSlices(20);
    busy(25);
    const turn = slices.pause();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(slices.pause()).toBeUndefined();
  });
});
