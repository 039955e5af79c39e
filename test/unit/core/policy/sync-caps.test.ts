import { describe, expect, it } from 'vitest';

import { CODES } from '../../../../shared/core/catalog/codes.js';
import type { Decision, DecisionKind, Finding } from '../../../../shared/core/model/index.js';
import { decide, isEscalation, type PolicyContext, type SubjectHistory } from '../../../../shared/core/policy/index.js';
import { ctx, ENFORCE_ALL, finding, MIN, REMEDIES, T0 } from './fixtures.js';

// Issue 14 items 1–2: the Autopilot sync must not become a loop.
// - "Syncs can only occur once every 10 minutes" and Sync is the documented step after importing devices —
//   User-driven Microsoft Entra join: Register devices as Autopilot devices, section "Register devices as
//   Autopilot devices" (https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-register-device).
//   Every sync locks the admin's own Sync button for 10 minutes, so a cause it cannot fix escalates after
//   SYNC_MAX_PER_FINDING_PER_DAY syncs, and the tenant makes at most SYNC_MAX_PER_DAY a day.
// - Profile assignment is periodic on Intune's side — User-driven Microsoft Entra join: Create and assign
//   user-driven Microsoft Entra join Autopilot profile, section "Verify device has an Autopilot profile assigned
//   to it" (https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-autopilot-profile) — so the
//   out-of-sync trigger sits behind SYNC_ON_PROFILE_OUT_OF_SYNC and under the same caps.
// Rows marked DEFECT asked for a sync on the code before the fix (it had no cap at all).

const HOUR = 60 * MIN;
const imported = (over: Partial<Finding> = {}): Finding =>
  finding(REMEDIES.sync, {
    code: CODES.AP_IMPORT_NOT_VISIBLE,
    subject: { kind: 'device', key: 'GHOST1', serialNumber: 'GHOST1', autopilotId: null },
    fingerprint: 'fp-ghost',
    ...over,
  });
const outOfSync = (): Finding =>
  finding(REMEDIES.sync, { code: CODES.AP_PROFILE_OUT_OF_SYNC, fingerprint: 'fp-profile' });
/** A stored finding first seen `ago` before T0. */
const seen = (ago: number): SubjectHistory => ({
  attemptsLast24h: 0,
  lastAttemptAt: null,
  finding: { attempts: 0, lastAttemptAt: null, firstSeenAt: T0 - ago },
});

interface Case {
  readonly name: string;
  readonly finding?: Finding;
  readonly ctx: Partial<PolicyContext>;
  readonly kind: DecisionKind;
  readonly reason: RegExp;
  readonly escalation?: boolean;
  readonly notBefore?: number;
  readonly attempt?: number;
}

const cases: Case[] = [
  {
    name: 'a new finding: sync 1 of 2, 1 of 6 today, both caps named',
    ctx: {},
    kind: 'remediate',
    reason:
      /^will trigger the Autopilot service sync \(sync 1 of at most 2 for this finding in 24 h \(SYNC_MAX_PER_FINDING_PER_DAY\), 1 of at most 6 for the tenant \(SYNC_MAX_PER_DAY\)\)$/,
    attempt: 1,
  },
  {
    name: 'one sync since first seen: sync 2 of 2',
    ctx: { history: seen(HOUR), syncsLast24h: [T0 - 30 * MIN] },
    kind: 'remediate',
    reason: /sync 2 of at most 2/,
    attempt: 2,
  },
  {
    name: 'DEFECT: two syncs since first seen -> escalate "sync did not fix this"',
    ctx: { history: seen(HOUR), syncsLast24h: [T0 - 50 * MIN, T0 - 35 * MIN], previousRunAt: T0 - 40 * MIN },
    kind: 'alert-only',
    reason:
      /^escalate: sync did not fix this: 2 Autopilot sync\(s\) since it was first seen in the last 24 h reached SYNC_MAX_PER_FINDING_PER_DAY = 2; a person needs to look \(no further sync for it before 2026-11-23T09:10:00\.000Z\)$/,
    escalation: true,
    attempt: 3,
  },
  {
    name: 'DEFECT: still capped in a later run -> alert-only, not escalated again',
    ctx: { history: seen(2 * HOUR), syncsLast24h: [T0 - 100 * MIN, T0 - 85 * MIN], previousRunAt: T0 - 5 * MIN },
    kind: 'alert-only',
    reason: /^sync did not fix this: .*already escalated, no further sync for it before .*; alert only$/,
    escalation: false,
  },
  {
    name: 'syncs before the finding was first seen did not cover it',
    ctx: { history: seen(10 * MIN), syncsLast24h: [T0 - 3 * HOUR, T0 - 2 * HOUR] },
    kind: 'remediate',
    reason: /sync 1 of at most 2 for this finding .* 3 of at most 6 for the tenant/,
  },
  {
    name: 'syncs older than 24 h do not count',
    ctx: { history: seen(30 * HOUR), syncsLast24h: [T0 - 26 * HOUR, T0 - 25 * HOUR] },
    kind: 'remediate',
    reason: /sync 1 of at most 2/,
  },
  {
    name: 'DEFECT: tenant-wide cap reached -> defer until the oldest sync leaves the window',
    ctx: { history: seen(10 * MIN), syncsLast24h: [20, 18, 16, 14, 12, 11].map((h) => T0 - h * HOUR) },
    kind: 'defer',
    reason:
      /^tenant-wide sync cap reached: 6 Autopilot syncs in the last 24 h \(SYNC_MAX_PER_DAY = 6\); next sync allowed at 2026-11-22T14:00:00\.000Z$/,
    notBefore: T0 + 4 * HOUR,
  },
  {
    name: 'the per-finding cap wins over the tenant cap (a person is told)',
    ctx: { history: seen(21 * HOUR), syncsLast24h: [20, 18, 16, 14, 12, 11].map((h) => T0 - h * HOUR) },
    kind: 'alert-only',
    reason: /^escalate: sync did not fix this: 6 Autopilot sync/,
    escalation: true,
  },
  {
    name: 'caps come from the settings',
    ctx: {
      history: seen(HOUR),
      syncsLast24h: [T0 - 30 * MIN],
      policy: { ...ENFORCE_ALL, syncMaxPerFindingPerDay: 1, syncMaxPerDay: 10 },
    },
    kind: 'alert-only',
    reason: /SYNC_MAX_PER_FINDING_PER_DAY = 1/,
    escalation: true,
  },
  {
    name: 'tenant cap from the settings',
    ctx: { history: seen(10 * MIN), syncsLast24h: [T0 - 2 * HOUR], policy: { ...ENFORCE_ALL, syncMaxPerDay: 1 } },
    kind: 'defer',
    reason: /SYNC_MAX_PER_DAY = 1/,
    notBefore: T0 + 22 * HOUR,
  },
  {
    name: 'plan mode counts the same caps',
    ctx: {
      history: seen(HOUR),
      syncsLast24h: [T0 - 30 * MIN],
      policy: { ...ENFORCE_ALL, actionModes: { ...ENFORCE_ALL.actionModes, 'autopilot-sync': 'plan' } },
    },
    kind: 'remediate',
    reason: /^plan only: would trigger the Autopilot service sync \(sync 2 of at most 2/,
  },
  {
    name: 'profile out of sync, SYNC_ON_PROFILE_OUT_OF_SYNC default (true) -> sync',
    finding: outOfSync(),
    ctx: {},
    kind: 'remediate',
    reason: /sync 1 of at most 2/,
  },
  {
    name: 'DEFECT: profile out of sync with SYNC_ON_PROFILE_OUT_OF_SYNC=false -> alert only',
    finding: outOfSync(),
    ctx: { policy: { ...ENFORCE_ALL, syncOnProfileOutOfSync: false } },
    kind: 'alert-only',
    reason: /^SYNC_ON_PROFILE_OUT_OF_SYNC is off: .*; alert only$/,
    escalation: false,
  },
  {
    name: 'profile out of sync stays under the caps',
    finding: outOfSync(),
    ctx: { history: seen(HOUR), syncsLast24h: [T0 - 50 * MIN, T0 - 35 * MIN] },
    kind: 'alert-only',
    reason: /sync did not fix this/,
    escalation: true,
  },
  {
    name: 'the setting does not touch other sync reasons',
    ctx: { policy: { ...ENFORCE_ALL, syncOnProfileOutOfSync: false } },
    kind: 'remediate',
    reason: /trigger the Autopilot service sync/,
  },
];

describe('sync caps', () => {
  it.each(cases)('$name', (c) => {
    const d: Decision = decide(c.finding ?? imported(), ctx(c.ctx));
    expect(d.kind).toBe(c.kind);
    expect(d.reason).toMatch(c.reason);
    if (c.escalation !== undefined) expect(isEscalation(d)).toBe(c.escalation);
    expect(d.notBefore).toBe(c.notBefore ?? null);
    if (c.attempt !== undefined) expect(d.attempt).toBe(c.attempt);
  });

  it('a day of polls against a cause that never clears: two syncs, then one escalation', () => {
    // Pure replay of what the poll does: every 7 minutes, a sync 1 minute after each "remediate", as the
    // worker would make it once the 10-minute window is open.
    const f = imported();
    const firstSeenAt = T0;
    const syncs: number[] = [];
    let previousRunAt: number | null = null;
    let lastSyncAt = -Infinity;
    const kinds: string[] = [];
    for (let now = T0; now < T0 + 24 * HOUR; now += 7 * MIN) {
      const history = now === T0 ? { attemptsLast24h: 0, lastAttemptAt: null, finding: null } : seen(now - firstSeenAt);
      const d = decide(f, ctx({ now, history, syncsLast24h: syncs.filter((t) => t <= now), previousRunAt }));
      kinds.push(isEscalation(d) ? 'escalate' : d.kind);
      if (d.kind === 'remediate' && now + MIN >= lastSyncAt + 10 * MIN) syncs.push((lastSyncAt = now + MIN));
      previousRunAt = now;
    }
    expect(syncs).toHaveLength(2);
    expect(kinds.filter((k) => k === 'escalate')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'remediate').length).toBeLessThanOrEqual(3);
  });
});

describe('per-device limits escalate once', () => {
  const member = finding(REMEDIES.member('obj-1', 'SN-1'));
  const reached = { attemptsLast24h: 3, lastAttemptAt: T0 - 20 * MIN, finding: null };

  it.each<[string, number | null | undefined, boolean]>([
    ['previous run unknown', undefined, true],
    ['the attempt that reached the limit came after the previous run', T0 - 25 * MIN, true],
    ['a run already saw the limit reached', T0 - 5 * MIN, false],
  ])('%s', (_name, previousRunAt, escalates) => {
    const d = decide(member, ctx({ history: reached, ...(previousRunAt !== undefined ? { previousRunAt } : {}) }));
    expect(d.kind).toBe('alert-only');
    expect(d.reason).toMatch(/3 attempts in the last 24 h reached the limit of 3/);
    expect(isEscalation(d)).toBe(escalates);
  });
});
