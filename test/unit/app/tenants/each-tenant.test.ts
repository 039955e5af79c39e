import { describe, expect, it } from 'vitest';

import { eachTenant } from '../../../../shared/app/tenants/each-tenant.js';

// One tenant's failure or stall is its own: the others run, within the concurrency limit, and finish.

describe('eachTenant', () => {
  it('a failing tenant is reported as its result; the others still run and return theirs', async () => {
    const results = await eachTenant([{ tenant: 'a' }, { tenant: 'b' }, { tenant: 'c' }], 1, async ({ tenant }) => {
      await Promise.resolve();
      if (tenant === 'a') throw new Error('403 Authorization_RequestDenied');
      return tenant.toUpperCase();
    });
    expect(results).toEqual([
      { tenant: 'a', ok: false, error: '403 Authorization_RequestDenied' },
      { tenant: 'b', ok: true, value: 'B' },
      { tenant: 'c', ok: true, value: 'C' },
    ]);
  });

  it('a stalled tenant holds one slot: the others finish while it still waits, never more than the limit at once', async () => {
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const finished: string[] = [];
    let running = 0;
    let peak = 0;
    const all = eachTenant(
      ['slow', 't1', 't2', 't3', 't4'].map((tenant) => ({ tenant })),
      2,
      async ({ tenant }) => {
        running += 1;
        peak = Math.max(peak, running);
        if (tenant === 'slow') await stalled;
        else await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        finished.push(tenant);
        return tenant;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toEqual(['t1', 't2', 't3', 't4']);
    release();
    expect((await all).every((r) => r.ok)).toBe(true);
    expect(finished.at(-1)).toBe('slow');
    expect(peak).toBe(2);
  });
});
