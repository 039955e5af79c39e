import { describe, expect, it } from 'vitest';

import {
  MAX_LISTED_PACED_KEYS,
  NO_PACING,
  paceAfter,
  paceWrites,
  pacingSpanMs,
} from '../../../../shared/core/governor/index.js';

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

describe('paceAfter: pacing across polls', () => {
  const HOUR = { max: 1, windowMs: 3_600_000 };
  const MIN = 60_000;

  it('a later poll does not send a key still waiting, and paces new keys after the windows handed out', () => {
    const first = paceAfter(['a', 'b', 'c'], HOUR, T0, NO_PACING);
    expect([...first.startAt]).toEqual([
      ['a', null],
      ['b', T0 + 60 * MIN],
      ['c', T0 + 120 * MIN],
    ]);
    const second = paceAfter(['b', 'c', 'd'], HOUR, T0 + 5 * MIN, first.horizon ?? NO_PACING);
    expect([...second.startAt]).toEqual([['d', T0 + 180 * MIN]]);
    expect(second.horizon?.waiting.map((w) => w.key)).toEqual(['b', 'c', 'd']);
  });

  it('nothing new to pace leaves the row alone', () => {
    const { horizon } = paceAfter(['a', 'b'], HOUR, T0, NO_PACING);
    expect(paceAfter(['b'], HOUR, T0 + MIN, horizon ?? NO_PACING)).toEqual({ startAt: new Map(), horizon: null });
  });

  it('fills the free slots of the window still open before opening the next', () => {
    const budget = { max: 3, windowMs: 20_000 };
    const { horizon } = paceAfter(['a'], budget, T0, NO_PACING);
    const next = paceAfter(['b', 'c', 'd'], budget, T0 + 5_000, horizon ?? NO_PACING);
    expect([...next.startAt.values()]).toEqual([null, null, T0 + 20_000]);
  });

  it('a stale horizon costs nothing: a key whose time passed unrun is sent again, at once', () => {
    const { horizon } = paceAfter(['a', 'b'], HOUR, T0, NO_PACING);
    const dayLater = paceAfter(['b', 'e'], HOUR, T0 + 24 * 60 * MIN, horizon ?? NO_PACING);
    expect([...dayLater.startAt]).toEqual([
      ['b', null],
      ['e', T0 + 25 * 60 * MIN],
    ]);
  });

  it('never schedules before a time it handed out, and lists at most MAX_LISTED_PACED_KEYS keys', () => {
    const keys = Array.from({ length: MAX_LISTED_PACED_KEYS + 150 }, (_, i) => `k-${i}`);
    const first = paceAfter(keys, { max: 100, windowMs: 20_000 }, T0, NO_PACING);
    expect(first.horizon?.waiting).toHaveLength(MAX_LISTED_PACED_KEYS);
    const last = Math.max(...[...first.startAt.values()].map((t) => t ?? T0));
    // The 100 sent at once and the 50 unlisted are planned again as new: copies, none before the last window.
    const again = paceAfter(keys, { max: 100, windowMs: 20_000 }, T0 + 1_000, first.horizon ?? NO_PACING);
    expect(again.startAt.size).toBe(keys.length - MAX_LISTED_PACED_KEYS);
    for (const t of again.startAt.values()) expect(t ?? 0).toBeGreaterThanOrEqual(last);
    // The last window's free slots first: no window holds more than 100 across both polls.
    const perWindow = new Map<number, number>();
    for (const t of [...first.startAt.values(), ...again.startAt.values()])
      perWindow.set(t ?? T0, (perWindow.get(t ?? T0) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBe(100);
  });
});
