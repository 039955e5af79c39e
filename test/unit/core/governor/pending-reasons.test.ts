import { describe, expect, it } from 'vitest';

import {
  coverReasons,
  hasPendingReasons,
  listedReasons,
  MAX_LISTED_SYNC_REASONS,
  parkReasons,
  pendingReasonCount,
} from '../../../../shared/core/governor/index.js';

// The governor row's reasons stay bounded (one Table Storage entity) and lose nothing a sync decision needs: whether
// reasons wait, and whether a sync started late enough to answer them.

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const fps = (from: number, n: number) => Array.from({ length: n }, (_, i) => `fp-${String(from + i).padStart(6, '0')}`);
const EMPTY = { pendingReasons: [], unlisted: null };

describe('pending sync reasons', () => {
  it('lists at most MAX_LISTED_SYNC_REASONS and counts the rest with their newest plan time', () => {
    const p = parkReasons(EMPTY, fps(0, 30_000), T0);
    expect(p.pendingReasons).toEqual(fps(0, MAX_LISTED_SYNC_REASONS));
    expect(p.unlisted).toEqual({ count: 29_000, plannedAt: T0 });
    expect(pendingReasonCount(p)).toBe(30_000);
    // Parked again later: no more than before is counted, but the newer plan time is kept.
    const again = parkReasons(p, fps(0, 30_000), T0 + 5);
    expect(again.unlisted).toEqual({ count: 29_000, plannedAt: T0 + 5 });
    expect(listedReasons(fps(0, 30_000))).toEqual(fps(0, MAX_LISTED_SYNC_REASONS));
  });

  it('below the limit nothing changes: every reason is listed', () => {
    expect(parkReasons({ pendingReasons: ['b'], unlisted: null }, ['a', 'b'], T0)).toEqual({
      pendingReasons: ['a', 'b'],
      unlisted: null,
    });
  });

  it('a sync answers the unlisted reasons only when it started at or after their newest plan time', () => {
    const p = parkReasons(EMPTY, fps(0, 2_000), T0);
    const listed = new Set(p.pendingReasons);
    expect(hasPendingReasons(coverReasons(p, listed, T0 - 1))).toBe(true);
    expect(coverReasons(p, listed, T0 - 1).unlisted).toEqual({ count: 1_000, plannedAt: T0 });
    expect(coverReasons(p, listed, T0)).toEqual(EMPTY);
  });
});
