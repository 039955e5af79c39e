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

describe('eachTenant with a device budget', () => {
  /** Runs items that finish when released, recording which ran together. */
  function harness(weights: number[], limits: { limit: number; budget: number }) {
    const releases = new Map<string, () => void>();
    const started: string[] = [];
    const items = weights.map((_, i) => ({ tenant: `t${i}` }));
    const all = eachTenant(items, { ...limits, weight: (i) => weights[i] ?? 0 }, ({ tenant }) => {
      started.push(tenant);
      return new Promise<string>((resolve) => releases.set(tenant, () => resolve(tenant)));
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    return { all, started, release: async (t: string) => (releases.get(t)?.(), settle()), settle };
  }

  it('small tenants run side by side up to the limit; large ones take turns within the budget', async () => {
    const small = harness([1_000, 1_000, 1_000, 1_000], { limit: 64, budget: 100_000 });
    await small.settle();
    expect(small.started).toEqual(['t0', 't1', 't2', 't3']);
    for (const t of ['t0', 't1', 't2', 't3']) await small.release(t);
    expect((await small.all).every((r) => r.ok)).toBe(true);

    const large = harness([60_000, 60_000, 30_000], { limit: 64, budget: 100_000 });
    await large.settle();
    expect(large.started).toEqual(['t0']); // t1 would exceed the budget: it waits, and t2 waits behind it (in order)
    await large.release('t0');
    expect(large.started).toEqual(['t0', 't1', 't2']);
    await large.release('t1');
    await large.release('t2');
    await large.all;
  });

  it('a tenant heavier than the whole budget still runs, alone', async () => {
    const h = harness([300_000, 1_000], { limit: 64, budget: 100_000 });
    await h.settle();
    expect(h.started).toEqual(['t0']);
    await h.release('t0');
    expect(h.started).toEqual(['t0', 't1']);
    await h.release('t1');
    expect((await h.all).map((r) => r.ok)).toEqual([true, true]);
  });

  it("a run that throws at once is that tenant's failure, not the scheduler's", async () => {
    const results = await eachTenant([{ tenant: 'a' }, { tenant: 'b' }], { limit: 1, budget: 10 }, ({ tenant }) => {
      if (tenant === 'a') throw new Error('boom');
      return Promise.resolve(tenant);
    });
    expect(results).toEqual([
      { tenant: 'a', ok: false, error: 'boom' },
      { tenant: 'b', ok: true, value: 'b' },
    ]);
  });
});
