import { describe, expect, it } from 'vitest';

import type { Decision, Finding, Mode } from '../../../../shared/core/model/index.js';
import {
  blastRadiusOf,
  compactTime,
  decide,
  deferredSyncKey,
  MAX_MEMBERS_PER_COMMAND,
  payloadHash,
  planRun,
  queueMessageId,
  syncKey,
} from '../../../../shared/core/policy/index.js';
import { ctx, ENFORCE_ALL, finding, GROUP, MIN, REFUSED_BY_BLOCK, REMEDIES, refusedBlock, T0 } from './fixtures.js';

const objectId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const remediate = (f: Finding, mode: Mode = 'enforce'): Decision => ({ ...decide(f, ctx()), mode });
const fleetOfSize = (size: number | null) => ({ size, source: size === null ? 'fleet size unknown' : 'test fleet' });
const plan = (ds: readonly Decision[], fleet: number | null = 10_000, now = T0) =>
  planRun(ds, fleetOfSize(fleet), ENFORCE_ALL, 'contoso', 'run-1', now);

describe('planRun', () => {
  it('coalesces every sync decision into ONE command carrying all reasons', () => {
    const ds = Array.from({ length: 10 }, (_, i) => remediate(finding(REMEDIES.sync, { fingerprint: `sync-${i}` })));
    const p = plan(ds);
    expect(p.commands).toHaveLength(1);
    const c = p.commands[0]!;
    expect(c.target).toEqual({ action: 'autopilot-sync' });
    expect(c.reasons).toHaveLength(10);
    expect(c.idempotencyKey).toBe(syncKey('contoso', T0));
    expect(c).toMatchObject({
      schemaVersion: 1,
      tenant: 'contoso',
      runId: 'run-1',
      mode: 'enforce',
      createdAt: new Date(T0).toISOString(),
    });
  });

  it('batches members per group into commands of at most 20, sorted and de-duplicated', () => {
    const ds = Array.from({ length: 45 }, (_, i) => remediate(finding(REMEDIES.member(objectId(44 - i), `SN-${i}`))));
    ds.push(remediate(finding(REMEDIES.member(objectId(3), 'SN-dup'))));
    const p = plan(ds);
    const sizes = p.commands.map((c) => (c.target.action === 'add-to-device-prep-group' ? c.target.members.length : 0));
    expect(sizes).toEqual([20, 20, 5]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_MEMBERS_PER_COMMAND);
    const first = p.commands[0]!.target;
    expect(first.action === 'add-to-device-prep-group' && first.members[0]!.objectId).toBe(objectId(0));
    expect(new Set(p.commands.map((c) => c.idempotencyKey)).size).toBe(3);
  });

  it('one command per unblock and per owner restore, keyed by target + fingerprint + attempt', () => {
    const u = remediate(finding(REMEDIES.unblock('SN-9', 'ap-9'), { evidence: refusedBlock('SN-9') }));
    const o = remediate(finding(REMEDIES.owner()));
    const p = plan([u, u, o]);
    expect(p.commands.map((c) => c.action)).toEqual(['allow-next-enrollment', 'restore-device-prep-owner']);
    expect(p.commands[0]!.idempotencyKey).toBe(`contoso:allow-next-enrollment:ap-9:${u.finding.fingerprint}-a1`);
    expect(p.commands[1]!.idempotencyKey).toBe(
      `contoso:restore-device-prep-owner:${GROUP}:${o.finding.fingerprint}-a1`,
    );
  });

  it('keys are deterministic: the same targets give the same keys, a new attempt a new key', () => {
    const ds = [
      remediate(finding(REMEDIES.member(objectId(1), 'A'))),
      remediate(finding(REMEDIES.member(objectId(2), 'B'))),
    ];
    const a = plan(ds);
    const b = plan([...ds].reverse(), 10_000, T0 + 4 * MIN);
    expect(b.commands.map((c) => c.idempotencyKey)).toEqual(a.commands.map((c) => c.idempotencyKey));
    const retry = plan(ds.map((d) => ({ ...d, attempt: 2 })));
    expect(retry.commands[0]!.idempotencyKey).not.toBe(a.commands[0]!.idempotencyKey);
  });

  it('plan and enforce runs of the same work get different keys (turning enforce on is not a "duplicate")', () => {
    const f = finding(REMEDIES.owner());
    const enforce = plan([remediate(f, 'enforce')]).commands[0]!;
    const planned = plan([remediate(f, 'plan')]).commands[0]!;
    expect(planned.idempotencyKey).toBe(`${enforce.idempotencyKey}-plan`);
  });

  it('the sync key is bucketed by 10-minute window', () => {
    expect(syncKey('t', T0 + 9 * MIN)).toBe(syncKey('t', T0));
    expect(syncKey('t', T0 + 10 * MIN)).not.toBe(syncKey('t', T0));
    expect(syncKey('t', T0)).toBe('t:autopilot-sync:tenant:w20261122T1000Z');
    // A deferred run never collides with the window key of the same window.
    expect(deferredSyncKey('t', T0 + 5 * MIN)).not.toBe(syncKey('t', T0 + 5 * MIN));
    expect(deferredSyncKey('t', T0 + 5 * MIN)).toBe(deferredSyncKey('t', T0 + 5 * MIN));
  });

  it('skips non-remediate decisions and plans plan-mode decisions as plan commands', () => {
    const alertOnly = decide(finding(REMEDIES.member(objectId(1)), { evidence: { groupIsDynamic: true } }), ctx());
    const planned = remediate(finding(REMEDIES.owner()), 'plan');
    const p = plan([alertOnly, planned]);
    expect(p.commands).toHaveLength(1);
    expect(p.commands[0]!.mode).toBe('plan');
    expect(p.blastRadius.devices).toBe(0);
  });

  it('blast radius (absolute): the whole run drops to plan and says why', () => {
    const ds = Array.from({ length: 51 }, (_, i) => remediate(finding(REMEDIES.member(objectId(i), `SN-${i}`))));
    ds.push(remediate(finding(REMEDIES.sync)));
    const p = plan(ds, 100_000);
    expect(p.blastRadius).toMatchObject({
      exceeded: true,
      targets: 52,
      devices: 51,
      limit: { devices: 50, percent: 10, minDevices: 5 },
    });
    expect(p.blastRadius.reason).toMatch(/52 targets \(51 devices, a tenant-wide sync\), more than the limit of 50/);
    expect(p.commands.every((c) => c.mode === 'plan')).toBe(true);
    expect(
      p.decisions
        .filter((d) => d.kind === 'remediate')
        .every((d) => d.mode === 'plan' && /blast radius exceeded/.test(d.reason)),
    ).toBe(true);
  });

  it('blast radius (percent of fleet): the whole run drops to plan', () => {
    const ds = Array.from({ length: 11 }, (_, i) =>
      remediate(finding(REMEDIES.unblock(`SN-${i}`), { evidence: refusedBlock(`SN-${i}`) })),
    );
    const p = plan(ds, 100);
    expect(p.blastRadius).toMatchObject({ exceeded: true, devices: 11, percent: 11 });
    expect(p.blastRadius.reason).toMatch(/11% of a fleet of 100/);
    expect(p.commands.every((c) => c.mode === 'plan')).toBe(true);
  });

  it('blast radius: plan-mode decisions do not count; a device counts once across actions', () => {
    const many = Array.from({ length: 80 }, (_, i) =>
      remediate(finding(REMEDIES.member(objectId(i), `SN-${i}`)), 'plan'),
    );
    expect(blastRadiusOf(many, fleetOfSize(100), ENFORCE_ALL)).toMatchObject({ exceeded: false, targets: 0 });
    const two = [
      remediate(finding(REMEDIES.unblock('SN-1'), { evidence: REFUSED_BY_BLOCK })),
      remediate(finding(REMEDIES.member(objectId(1), 'SN-1'))),
    ];
    expect(blastRadiusOf(two, fleetOfSize(null), ENFORCE_ALL)).toMatchObject({ targets: 1, devices: 1 });
  });
});

describe('command identity helpers', () => {
  it('payloadHash covers target and mode, not reasons', () => {
    const base = {
      action: 'autopilot-sync' as const,
      target: { action: 'autopilot-sync' as const },
      mode: 'enforce' as const,
    };
    expect(payloadHash(base)).toBe(payloadHash({ ...base }));
    expect(payloadHash({ ...base, mode: 'plan' })).not.toBe(payloadHash(base));
  });

  it('queueMessageId: the key for immediate sends, key@time for scheduled ones', () => {
    expect(queueMessageId({ idempotencyKey: 'k' }, null)).toBe('k');
    expect(queueMessageId({ idempotencyKey: 'k' }, T0 + 15_000)).toBe(`k@${compactTime(T0 + 15_000)}`);
    expect(compactTime(T0 + 15_000)).toBe('20261122T100015Z');
  });
});
