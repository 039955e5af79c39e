import { describe, expect, it } from 'vitest';

import {
  afterTrigger,
  decideSync,
  deferAfterRefusal,
  DEFAULT_GOVERNOR_SETTINGS as S,
  type GovernorView,
  type ServiceSyncView,
  type SyncVerdict,
  windowOpensAt,
} from '../../../../shared/core/governor/index.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const MIN = 60_000;
const MARGIN = 15_000;

const service = (over: Partial<ServiceSyncView> = {}): ServiceSyncView => ({
  lastManualSyncTriggerAt: null,
  syncStatus: 'completed',
  ...over,
});
const row = (over: Partial<GovernorView> = {}): GovernorView => ({
  lastTriggeredAt: null,
  nextAllowedAt: null,
  holder: null,
  holderUntil: null,
  ...over,
});

interface Case {
  readonly name: string;
  readonly now: number;
  readonly service: ServiceSyncView;
  readonly row: GovernorView;
  readonly expected: SyncVerdict['kind'];
  readonly until?: number;
  readonly reason?: RegExp;
}

const cases: Case[] = [
  { name: 'never synced -> call', now: T0, service: service(), row: row(), expected: 'call' },
  {
    name: 'service (portal) trigger 3 min ago -> defer to trigger + 10 min + margin',
    now: T0 + 3 * MIN,
    service: service({ lastManualSyncTriggerAt: T0 }),
    row: row(),
    expected: 'defer',
    until: T0 + 10 * MIN + MARGIN,
    reason: /window opens at 2026-11-22T10:10:15.000Z/,
  },
  {
    name: 'our trigger 5 min ago -> defer',
    now: T0 + 5 * MIN,
    service: service(),
    row: row({ lastTriggeredAt: T0 }),
    expected: 'defer',
    until: T0 + 10 * MIN + MARGIN,
  },
  {
    name: 'the later of the two triggers wins',
    now: T0 + 6 * MIN,
    service: service({ lastManualSyncTriggerAt: T0 + 2 * MIN }),
    row: row({ lastTriggeredAt: T0 }),
    expected: 'defer',
    until: T0 + 12 * MIN + MARGIN,
  },
  {
    name: 'inside the safety margin -> still defer',
    now: T0 + 10 * MIN + 5_000,
    service: service({ lastManualSyncTriggerAt: T0 }),
    row: row(),
    expected: 'defer',
    until: T0 + 10 * MIN + MARGIN,
  },
  {
    name: 'window open -> call',
    now: T0 + 10 * MIN + MARGIN,
    service: service({ lastManualSyncTriggerAt: T0 }),
    row: row({ lastTriggeredAt: T0 - MIN }),
    expected: 'call',
  },
  {
    name: 'nextAllowedAt (after a 429) holds the window shut',
    now: T0,
    service: service(),
    row: row({ nextAllowedAt: T0 + 4 * MIN }),
    expected: 'defer',
    until: T0 + 4 * MIN,
  },
  {
    name: 'sync in progress -> defer even when the window is open',
    now: T0 + 30 * MIN,
    service: service({ lastManualSyncTriggerAt: T0, syncStatus: 'inProgress' }),
    row: row(),
    expected: 'defer',
    until: T0 + 32 * MIN,
    reason: /already running/,
  },
  {
    name: 'sync in progress and window closed -> defer to the later time',
    now: T0 + MIN,
    service: service({ lastManualSyncTriggerAt: T0, syncStatus: 'inProgress' }),
    row: row(),
    expected: 'defer',
    until: T0 + 10 * MIN + MARGIN,
  },
  {
    name: 'another instance holds the row -> defer until its hold ends',
    now: T0,
    service: service(),
    row: row({ holder: 'other', holderUntil: T0 + MIN }),
    expected: 'defer',
    until: T0 + MIN,
    reason: /another instance \(other\)/,
  },
  {
    name: 'an expired hold does not block',
    now: T0,
    service: service(),
    row: row({ holder: 'other', holderUntil: T0 - 1 }),
    expected: 'call',
  },
  {
    name: 'our own hold does not block us',
    now: T0,
    service: service(),
    row: row({ holder: 'me', holderUntil: T0 + MIN }),
    expected: 'call',
  },
  {
    name: 'failed last sync does not block once the window is open',
    now: T0 + 11 * MIN,
    service: service({ lastManualSyncTriggerAt: T0, syncStatus: 'failed' }),
    row: row(),
    expected: 'call',
  },
];

describe('decideSync', () => {
  it.each(cases)('$name', (c) => {
    const v = decideSync(c.now, S, c.service, c.row, 'me');
    expect(v.kind).toBe(c.expected);
    if (v.kind === 'defer') {
      expect(v.until).toBe(c.until);
      if (c.reason) expect(v.reason).toMatch(c.reason);
    }
  });

  it('the margin is configurable', () => {
    const v = decideSync(
      T0 + 3 * MIN,
      { ...S, safetyMarginMs: 0 },
      service({ lastManualSyncTriggerAt: T0 }),
      row(),
      'me',
    );
    expect(v).toMatchObject({ kind: 'defer', until: T0 + 10 * MIN });
  });
});

describe('window and refusal math', () => {
  it('windowOpensAt is null when nothing ever triggered', () => {
    expect(windowOpensAt(service(), row(), S)).toBeNull();
  });

  it.each([
    ['409 (running)', { kind: 'in-progress' as const }, T0 + 2 * MIN],
    ['429 with Retry-After', { kind: 'too-soon' as const, retryAfterMs: 4 * MIN }, T0 + 4 * MIN + MARGIN],
    [
      '429 without Retry-After assumes a full window',
      { kind: 'too-soon' as const, retryAfterMs: null },
      T0 + 10 * MIN + MARGIN,
    ],
  ])('deferAfterRefusal: %s', (_n, refusal, expected) => {
    expect(deferAfterRefusal(T0, S, refusal)).toBe(expected);
  });

  it('afterTrigger sets our trigger and the next allowed time', () => {
    expect(afterTrigger(T0, S)).toEqual({ lastTriggeredAt: T0, nextAllowedAt: T0 + 10 * MIN + MARGIN });
  });
});
