import type { LoadRequest } from '@sparkify/core';
import { oncePerRequest } from './load-strategy.js';

const request = (name: string) => ({ table: { name } }) as unknown as LoadRequest;

describe('oncePerRequest', () => {
  it('plans a request once, however often a strategy asks, and each request on its own', async () => {
    const planned: string[] = [];
    const planFor = oncePerRequest(async (r: LoadRequest) => {
      planned.push(r.table.name);
      return `plan of ${r.table.name}`;
    });
    const events = request('staging_events');
    const songs = request('staging_songs');
    expect(await planFor(events)).toBe('plan of staging_events');
    expect(await planFor(events)).toBe('plan of staging_events');
    expect(await planFor(songs)).toBe('plan of staging_songs');
    expect(planned).toEqual(['staging_events', 'staging_songs']);
  });

  it('gives a failed plan the same failure again, without planning twice', async () => {
    let calls = 0;
    const planFor = oncePerRequest(async () => {
      calls++;
      throw new Error('the source could not be listed');
    });
    const r = request('staging_events');
    await expect(planFor(r)).rejects.toThrow('could not be listed');
    await expect(planFor(r)).rejects.toThrow('could not be listed');
    expect(calls).toBe(1);
  });
});
