import { describe, expect, it } from 'vitest';

import { paceWrites, pacingSpanMs } from '../../../../shared/core/governor/index.js';

// Intune's write limit is per app per tenant ("Microsoft Graph service-specific throttling limits", Intune service
// limits: https://learn.microsoft.com/graph/throttling-limits); the poll spreads a run's writes over it.

const T0 = Date.parse('2026-12-04T00:00:00Z');

describe('paceWrites', () => {
  it.each([
    [0, 100, []],
    [3, 100, [null, null, null]],
    [5, 2, [null, null, T0 + 20_000, T0 + 20_000, T0 + 40_000]],
    [3, 1, [null, T0 + 20_000, T0 + 40_000]],
  ])('%i writes at %i per window', (count, max, expected) => {
    expect(paceWrites(count, { max, windowMs: 20_000 }, T0)).toEqual(expected);
  });

  it('never puts more than the budget in one window, for any count', () => {
    const starts = paceWrites(250, { max: 100, windowMs: 20_000 }, T0);
    const perWindow = new Map<number | null, number>();
    for (const s of starts) perWindow.set(s, (perWindow.get(s) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([100, 100, 50]);
  });

  it('a fractional or zero budget still lets one write through per window', () => {
    expect(paceWrites(2, { max: 0.5, windowMs: 1_000 }, T0)).toEqual([null, T0 + 1_000]);
  });

  it('pacingSpanMs is when the last paced write starts, counted from the first', () => {
    for (const [count, max] of [
      [0, 100],
      [1, 100],
      [100, 100],
      [101, 100],
      [50_000, 10],
      [3, 0.5],
    ] as const) {
      const budget = { max, windowMs: 20_000 };
      expect(pacingSpanMs(count, budget), `${count} at ${max}`).toBe(paceWrites(count, budget, 0).at(-1) ?? 0);
    }
  });
});
