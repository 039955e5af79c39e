import { describe, expect, it } from 'vitest';

import { AlreadyInProgressError, executeRemediation } from '../../../../shared/app/remediation/index.js';
import { payloadHash } from '../../../../shared/core/policy/index.js';
import {
  NotFoundError,
  PermissionError,
  PermanentError,
  ThrottledError,
  TransientError,
} from '../../../../shared/ports/index.js';
import {
  actionsWith,
  allHistory,
  apId,
  outcomes,
  command,
  GROUP,
  harness,
  MIN,
  POLICY_ID,
  POLICY_NAME,
  PROVISIONING_APP_ID,
  SP,
  T0,
} from './support.js';

// Uses the scripted in-memory Graph stand-in (FakeTenant); see test/integration/remediation for the simulator.

const unblockTarget = { action: 'allow-next-enrollment' as const, autopilotId: apId('SN-1'), serialNumber: 'SN-1' };
const obj = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const membersTarget = (...ids: number[]) => ({
  action: 'add-to-device-prep-group' as const,
  groupId: GROUP,
  members: ids.map((i) => ({ objectId: obj(i), serialNumber: `SN-${i}` })),
});

describe('executeRemediation: claim', () => {
  it('acts once; a redelivery of a completed command is a duplicate with no Graph call', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    const cmd = command(unblockTarget);
    expect((await executeRemediation(cmd, h.deps())).status).toBe('succeeded');
    expect((await executeRemediation(cmd, h.deps())).status).toBe('duplicate');
    expect(h.tenant.writes).toHaveLength(1);
    const claim = await h.stores.claims.get('allow-next-enrollment', cmd.idempotencyKey);
    expect(claim).toMatchObject({ status: 'completed', payloadHash: payloadHash(cmd) });
  });

  it('an unexpired in-progress claim throws AlreadyInProgress with the expiry as retry time', async () => {
    const h = harness();
    const cmd = command(unblockTarget);
    await h.stores.claims.claim({
      action: cmd.action,
      key: cmd.idempotencyKey,
      payloadHash: payloadHash(cmd),
      owner: 'other',
      now: T0,
      ttlMs: 10 * MIN,
    });
    const err = await executeRemediation(cmd, h.deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyInProgressError);
    expect(err).toMatchObject({ retryAt: T0 + 10 * MIN, holder: 'other' });
    expect(h.tenant.writes).toHaveLength(0);
  });

  it('a different payload under the same key is refused, recorded and alerted, without a Graph call', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    const cmd = command(unblockTarget);
    await executeRemediation({ ...cmd, mode: 'plan' }, h.deps());
    const out = await executeRemediation(cmd, h.deps());
    expect(out.status).toBe('refused');
    expect(h.tenant.writes).toHaveLength(0);
    expect(h.alerts.alerts.map((a) => a.kind)).toEqual(['remediation-failed']);
    expect((await allHistory(h.stores)).some((r) => r.status === 'refused')).toBe(true);
  });

  it('refuses a command whose action and target disagree', async () => {
    const h = harness();
    const out = await executeRemediation({ ...command(unblockTarget), action: 'autopilot-sync' }, h.deps());
    expect(out.status).toBe('refused');
    expect(h.tenant.writes).toHaveLength(0);
  });
});

describe('executeRemediation: unblock', () => {
  it('records before/after, mode, attempt and Graph request id; bumps the finding attempts', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    await h.stores.findings.upsertMany([
      {
        subjectKey: 'SN-1',
        code: 'AP_BLOCKED',
        fingerprint: 'fp-1',
        severity: 'error',
        title: 't',
        status: 'open',
        firstSeenAt: T0 - 60 * MIN,
        lastSeenAt: T0,
        resolvedAt: null,
        attempts: 1,
        lastAttemptAt: T0 - 120 * MIN,
        evidence: {},
      },
    ]);
    const out = await executeRemediation(command(unblockTarget), h.deps());
    expect(out).toMatchObject({ status: 'succeeded', graphRequestId: 'req-1' });
    const [row] = await outcomes(h.stores);
    expect(row).toMatchObject({
      subjectKey: 'SN-1',
      type: 'outcome',
      mode: 'enforce',
      status: 'succeeded',
      attempt: 2,
      graphRequestId: 'req-1',
    });
    expect(row!.before).toMatchObject({ enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked' });
    expect(row!.after).toMatchObject({ userlessEnrollmentStatus: 'allowed' });
    expect(await h.stores.findings.get('SN-1', 'AP_BLOCKED')).toMatchObject({ attempts: 2, lastAttemptAt: T0 });
  });

  it.each([
    ['device gone', () => undefined, 'no-longer-applies', /no longer exists/],
    [
      'no longer blocked',
      (h: ReturnType<typeof harness>) =>
        h.tenant.blockedDevice('SN-1', { enrollmentState: 'enrolled', userlessEnrollmentStatus: 'allowed' }),
      'no-longer-applies',
      /no longer blocked/,
    ],
    [
      'now in Fix pending',
      (h: ReturnType<typeof harness>) =>
        h.tenant.blockedDevice('SN-1', { remediationState: 'automaticRemediationRequired' }),
      'refused',
      /Fix pending/,
    ],
    [
      'now in Attention required',
      (h: ReturnType<typeof harness>) =>
        h.tenant.blockedDevice('SN-1', { remediationState: 'manualRemediationRequired' }),
      'refused',
      /Attention required/,
    ],
  ])('pre-check: %s -> %s, no write', async (_n, arrange, status, detail) => {
    const h = harness();
    arrange(h);
    const out = await executeRemediation(command(unblockTarget), h.deps());
    expect(out.status).toBe(status);
    expect(out.detail).toMatch(detail);
    expect(h.tenant.writes).toHaveLength(0);
    expect(h.alerts.alerts).toHaveLength(status === 'refused' ? 1 : 0);
  });

  it('plan mode: records what it would do, writes nothing', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    const out = await executeRemediation(command(unblockTarget, {}, 'plan'), h.deps());
    expect(out.status).toBe('planned');
    expect(out.detail).toContain(
      `would POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${apId('SN-1')}/allowNextEnrollment`,
    );
    expect(h.tenant.writes).toHaveLength(0);
    expect((await allHistory(h.stores))[0]).toMatchObject({ status: 'planned', mode: 'plan' });
  });

  it('transient failure: claim released, error rethrown; the redelivery then succeeds', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    h.tenant.failNext(
      'allowNextEnrollment',
      new TransientError('503 from Graph', { status: 503, code: 'ServiceUnavailable', requestId: 'req-x' }),
    );
    const cmd = command(unblockTarget);
    await expect(executeRemediation(cmd, h.deps())).rejects.toBeInstanceOf(TransientError);
    expect(await h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toBeNull();
    expect((await executeRemediation(cmd, h.deps())).status).toBe('succeeded');
    const statuses = (await outcomes(h.stores)).map((r) => r.status).sort();
    expect(statuses).toEqual(['failed-transient', 'succeeded']);
  });

  // Chaos suite finding: a write answered 429 with Retry-After: 3600 was rethrown as transient; the claim was released,
  // no attempt counted, and the next delivery or poll wrote again within the hour. Microsoft Graph throttling
  // guidance, "Best practices to handle throttling": wait Retry-After seconds (https://learn.microsoft.com/graph/throttling).
  it('throttled write (429, Retry-After 1 h): deferred, not rethrown; the claim is held until then; the attempt counts; the same command is scheduled for the Retry-After', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    await h.stores.findings.upsertMany([
      {
        subjectKey: 'SN-1',
        code: 'AP_BLOCKED',
        fingerprint: 'fp-1',
        severity: 'error',
        title: 't',
        status: 'open',
        firstSeenAt: T0 - 60 * MIN,
        lastSeenAt: T0,
        resolvedAt: null,
        attempts: 0,
        lastAttemptAt: null,
        evidence: {},
      },
    ]);
    h.tenant.failNext(
      'allowNextEnrollment',
      new ThrottledError('429 from Graph', { retryAfterMs: 60 * MIN, code: 'TooManyRequests', requestId: 'req-t' }),
    );
    const cmd = command(unblockTarget);
    const deps = h.deps();
    const out = await executeRemediation(cmd, deps);
    expect(out).toMatchObject({ status: 'deferred', retryAt: T0 + 60 * MIN, graphRequestId: 'req-t' });
    expect(h.queue.sent).toEqual([{ command: cmd, notBefore: T0 + 60 * MIN }]);
    // Held, not released: every delivery of this key before the Retry-After meets it (throttle-deferral.ts).
    expect(await h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toMatchObject({
      status: 'in-progress',
      expiresAt: T0 + 60 * MIN,
    });
    // Counted: the next poll's cooldown (DEVICE_COOLDOWN_MINUTES) holds the device.
    expect(await h.stores.findings.get('SN-1', 'AP_BLOCKED')).toMatchObject({ attempts: 1, lastAttemptAt: T0 });
    expect((await outcomes(h.stores)).map((r) => r.status)).toEqual(['deferred']);
  });

  it.each([
    [
      'permission',
      new PermissionError('403 Authorization_RequestDenied', {
        status: 403,
        code: 'Authorization_RequestDenied',
        requestId: 'req-p',
      }),
    ],
    [
      'permanent',
      new PermanentError('400 bad request', { status: 400, code: 'Request_BadRequest', requestId: 'req-b' }),
    ],
    ['not found', new NotFoundError('404', { code: 'ResourceNotFound', requestId: 'req-n' })],
  ])('%s failure: recorded, alerted, claim completed, not rethrown', async (_n, error) => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    h.tenant.failNext('allowNextEnrollment', error);
    const cmd = command(unblockTarget);
    const out = await executeRemediation(cmd, h.deps());
    expect(out).toMatchObject({ status: 'failed-permanent', graphRequestId: error.requestId });
    expect(h.alerts.alerts).toHaveLength(1);
    expect(h.alerts.alerts[0]).toMatchObject({ kind: 'remediation-failed', severity: 'error' });
    expect(await h.stores.claims.get(cmd.action, cmd.idempotencyKey)).toMatchObject({ status: 'completed' });
    expect((await executeRemediation(cmd, h.deps())).status).toBe('duplicate');
  });

  // Issue 14.6 changed this: success is recorded only when the re-read proves it; a failed read is 'unverified'
  // (an attempt, retried by a later poll), still never an immediate second write.
  it('a failed verification read does not turn a done write into a retry; it is recorded as unverified', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1');
    const deps = h.deps();
    let reads = 0;
    const out = await executeRemediation(command(unblockTarget), {
      ...deps,
      autopilot: {
        ...deps.autopilot,
        getDeviceIdentity: (id) =>
          ++reads === 2 ? Promise.reject(new Error('read timeout')) : deps.autopilot.getDeviceIdentity(id),
      },
    });
    expect(out.status).toBe('unverified');
    expect(out.detail).toMatch(/verification read failed: read timeout/);
    expect(h.tenant.writes).toHaveLength(1);
  });
});

describe('executeRemediation: attempts', () => {
  const record = (serial: string, fp: string) => ({
    subjectKey: serial,
    code: 'AP_BLOCKED',
    fingerprint: fp,
    severity: 'error' as const,
    title: 't',
    status: 'open' as const,
    firstSeenAt: T0 - 60 * MIN,
    lastSeenAt: T0,
    resolvedAt: null,
    attempts: 0,
    lastAttemptAt: null,
    evidence: {},
  });

  it('a refusal at pre-check counts as an attempt (so the next poll plans a new key); plan mode never counts', async () => {
    const h = harness();
    h.tenant.blockedDevice('SN-1', { remediationState: 'automaticRemediationRequired' });
    await h.stores.findings.upsertMany([record('SN-1', 'fp-1')]);
    expect((await executeRemediation(command(unblockTarget), h.deps())).status).toBe('refused');
    expect(await h.stores.findings.get('SN-1', 'AP_BLOCKED')).toMatchObject({ attempts: 1, lastAttemptAt: T0 });
    await executeRemediation(command(unblockTarget, { idempotencyKey: 'k-plan' }, 'plan'), h.deps());
    expect((await h.stores.findings.get('SN-1', 'AP_BLOCKED'))!.attempts).toBe(1);
  });

  it("finds findings under the detectors' normalised keys (serial upper-case)", async () => {
    const h = harness();
    h.tenant.blockedDevice('sn-low');
    await h.stores.findings.upsertMany([record('SN-LOW', 'fp-1')]);
    const target = { action: 'allow-next-enrollment' as const, autopilotId: apId('sn-low'), serialNumber: ' sn-low ' };
    expect((await executeRemediation(command(target), h.deps())).status).toBe('succeeded');
    expect((await h.stores.findings.get('SN-LOW', 'AP_BLOCKED'))!.attempts).toBe(1);
    expect((await outcomes(h.stores))[0]!.subjectKey).toBe('SN-LOW');
  });

  it('counts an attempt on a device-preparation finding, which the detector keys by Entra object id even when a serial is known', async () => {
    // Found by the issue 17 end-to-end test: outcome rows went under the serial, so the finding kept 0 attempts,
    // its per-device limits never applied, and its resolution looked like one that happened on its own.
    const h = harness();
    h.tenant.group(GROUP);
    h.tenant.device(obj(1));
    await h.stores.findings.upsertMany([{ ...record(obj(1), 'fp-1'), code: 'DP_DEVICE_NOT_IN_GROUP' }]);
    expect((await executeRemediation(command(membersTarget(1)), h.deps())).status).toBe('succeeded');
    expect(await h.stores.findings.get(obj(1), 'DP_DEVICE_NOT_IN_GROUP')).toMatchObject({
      attempts: 1,
      lastAttemptAt: T0,
    });
    expect((await outcomes(h.stores)).map((r) => r.subjectKey)).toEqual([obj(1)]);
  });
});

describe('executeRemediation: device-prep group', () => {
  /** The members' Entra devices, enrolled through the group's device-preparation policy. */
  const devices = (h: ReturnType<typeof harness>, ...ids: number[]) => ids.forEach((i) => h.tenant.device(obj(i)));

  it('writes only the members still missing; per-member history rows', async () => {
    const h = harness();
    h.tenant.group(GROUP, {}, [obj(1)]);
    devices(h, 1, 2, 3);
    const out = await executeRemediation(command(membersTarget(1, 2, 3)), h.deps());
    expect(out.status).toBe('succeeded');
    expect(h.tenant.writes).toEqual([{ method: 'addGroupMembers', args: [GROUP, [obj(2), obj(3)]] }]);
    const rows = await outcomes(h.stores);
    // Keyed by Entra object id, as the detector keys device-preparation findings (not by serial).
    const byKey = Object.fromEntries(rows.map((r) => [r.subjectKey, r]));
    expect(byKey[obj(1)]).toMatchObject({ status: 'no-longer-applies' });
    expect(byKey[obj(2)]).toMatchObject({ status: 'succeeded', before: { member: false }, after: { member: true } });
  });

  it('"already a member" from Graph is success (already-done)', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    devices(h, 1);
    const deps = h.deps();
    // Membership read says missing, the write says already there (replication lag).
    const out = await executeRemediation(command(membersTarget(1)), {
      ...deps,
      actions: actionsWith(h.tenant, {
        addGroupMembers: (_g, ids) =>
          Promise.resolve(new Map(ids.map((id) => [id, { requestId: 'r', alreadyDone: true }]))),
      }),
    });
    expect(out.status).toBe('already-done');
    expect(h.alerts.alerts).toHaveLength(0);
  });

  it('one member refused for good: that member fails, the others succeed, one alert', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    devices(h, 1, 2);
    const deps = h.deps();
    const out = await executeRemediation(command(membersTarget(1, 2)), {
      ...deps,
      actions: actionsWith(h.tenant, {
        addGroupMembers: () =>
          Promise.resolve(
            new Map([
              [obj(1), { requestId: 'r1', alreadyDone: false }],
              [
                obj(2),
                {
                  requestId: 'r2',
                  alreadyDone: false,
                  error: new NotFoundError('no such object', { code: 'Request_ResourceNotFound', requestId: 'r2' }),
                },
              ],
            ]),
          ),
      }),
    });
    expect(out.status).toBe('failed-permanent');
    expect(out.detail).toMatch(/1 of 2 refused/);
    const rows = Object.fromEntries((await outcomes(h.stores)).map((r) => [r.subjectKey, r.status]));
    expect(rows).toEqual({ [obj(1)]: 'succeeded', [obj(2)]: 'failed-permanent' });
    expect(h.alerts.alerts).toHaveLength(1);
  });

  it('one member throttled: the whole command is redelivered, and only that member is written again', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    devices(h, 1, 2);
    const deps = h.deps();
    const cmd = command(membersTarget(1, 2));
    let first = true;
    const actions = actionsWith(h.tenant, {
      addGroupMembers: async (g, ids) => {
        const real = await h.tenant.addGroupMembers(g, first ? ids.slice(0, 1) : ids);
        if (first) {
          first = false;
          real.set(obj(2), {
            requestId: null,
            alreadyDone: false,
            error: new TransientError('429', { status: 429, code: 'TooManyRequests' }),
          });
        }
        return real;
      },
    });
    await expect(executeRemediation(cmd, { ...deps, actions })).rejects.toBeInstanceOf(TransientError);
    expect((await executeRemediation(cmd, { ...deps, actions })).status).toBe('succeeded');
    expect(h.tenant.writes.map((w) => w.args[1])).toEqual([[obj(1)], [obj(2)]]);
  });

  it.each([
    [
      'not allowlisted',
      (h: ReturnType<typeof harness>) => h.tenant.group(GROUP),
      { devicePrepGroups: [] },
      /allowlist/,
    ],
    ['group deleted', () => undefined, {}, /no longer exists/],
    [
      'group turned dynamic',
      (h: ReturnType<typeof harness>) => h.tenant.group(GROUP, { isDynamic: true }),
      {},
      /dynamic/,
    ],
    [
      'not a security group',
      (h: ReturnType<typeof harness>) => h.tenant.group(GROUP, { securityEnabled: false }),
      {},
      /security/,
    ],
    // Issue 14 item 11: the device preparation policy itself must name the group (retrieveEnrollmentTimeDeviceMembershipTarget).
    [
      'the policy puts devices in another group',
      (h: ReturnType<typeof harness>) => {
        h.tenant.group(GROUP);
        h.tenant.policyTargets.set(POLICY_ID, {
          validationSucceeded: true,
          targets: [{ targetId: 'aaaaaaaa-0000-4000-8000-000000000000', error: null }],
        });
      },
      {},
      /puts devices in aaaaaaaa-0000-4000-8000-000000000000, not in group/,
    ],
    [
      'the policy has no device group',
      (h: ReturnType<typeof harness>) => {
        h.tenant.group(GROUP);
        h.tenant.policyTargets.set(POLICY_ID, { validationSucceeded: true, targets: [] });
      },
      {},
      /no device group selected/,
    ],
    [
      'the policy no longer exists',
      (h: ReturnType<typeof harness>) => {
        h.tenant.group(GROUP);
        h.tenant.policyTargets.delete(POLICY_ID);
      },
      {},
      /does not exist/,
    ],
    [
      'no policyId is configured',
      (h: ReturnType<typeof harness>) => h.tenant.group(GROUP),
      { devicePrepGroups: [{ groupId: GROUP, policyName: POLICY_NAME }] },
      /no policyId/,
    ],
    [
      'the service says the group is not static',
      (h: ReturnType<typeof harness>) => {
        h.tenant.group(GROUP);
        h.tenant.policyTargets.set(POLICY_ID, {
          validationSucceeded: false,
          targets: [{ targetId: GROUP, error: 'notStaticSecurityGroup' }],
        });
      },
      {},
      /notStaticSecurityGroup/,
    ],
  ])('refuses when %s: no write, one alert', async (_n, arrange, over, detail) => {
    const h = harness();
    arrange(h);
    devices(h, 1);
    const out = await executeRemediation(command(membersTarget(1)), h.deps(over));
    expect(out.status).toBe('refused');
    expect(out.detail).toMatch(detail);
    expect(h.tenant.writes).toHaveLength(0);
    expect(h.alerts.alerts).toHaveLength(1);
  });
});

describe('executeRemediation: the policy-target read', () => {
  it('a throttled read of the policy target is retried with the command, never turned into a write or a refusal', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    const deps = h.deps();
    const autopilot = {
      ...deps.autopilot,
      getEnrollmentTimeTarget: () =>
        Promise.reject(new TransientError('429', { status: 429, code: 'TooManyRequests' })),
    };
    const target = { action: 'restore-device-prep-owner' as const, groupId: GROUP, servicePrincipalId: SP };
    await expect(executeRemediation(command(target), { ...deps, autopilot })).rejects.toBeInstanceOf(TransientError);
    expect(h.tenant.writes).toHaveLength(0);
  });

  it('a refused read (403) leaves the target unproven: refused, nothing written', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    const deps = h.deps();
    const autopilot = {
      ...deps.autopilot,
      getEnrollmentTimeTarget: () => Promise.reject(new PermissionError('403', { status: 403, code: 'Forbidden' })),
    };
    const target = { action: 'restore-device-prep-owner' as const, groupId: GROUP, servicePrincipalId: SP };
    const out = await executeRemediation(command(target), { ...deps, autopilot });
    expect(out.status).toBe('refused');
    expect(out.detail).toMatch(/could not be read/);
    expect(h.tenant.writes).toHaveLength(0);
  });
});

describe('executeRemediation: device-prep owner', () => {
  const ownerTarget = { action: 'restore-device-prep-owner' as const, groupId: GROUP, servicePrincipalId: SP };

  it('adds the service principal when it is not an owner, and verifies', async () => {
    const h = harness();
    h.tenant.group(GROUP, {}, [], [{ id: 'user-1', type: 'user', appId: null }]);
    const out = await executeRemediation(command(ownerTarget), h.deps());
    expect(out).toMatchObject({
      status: 'succeeded',
      before: { provisioningClientIsOwner: false },
      after: { provisioningClientIsOwner: true },
    });
    expect(h.tenant.writes).toEqual([{ method: 'addGroupOwner', args: [GROUP, SP] }]);
  });

  it('already an owner (matched by appId, not name): no write', async () => {
    const h = harness();
    h.tenant.group(GROUP, {}, [], [{ id: 'other-object-id', type: 'servicePrincipal', appId: PROVISIONING_APP_ID }]);
    expect((await executeRemediation(command(ownerTarget), h.deps())).status).toBe('no-longer-applies');
    expect(h.tenant.writes).toHaveLength(0);
  });
});
