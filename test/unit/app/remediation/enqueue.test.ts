import { describe, expect, it } from 'vitest';

import { enqueueDecisions, executeRemediation } from '../../../../shared/app/remediation/index.js';
import type { Decision, Finding, RemediationCommand } from '../../../../shared/core/model/index.js';
import { decide, payloadHash, planRun, type PolicySettings } from '../../../../shared/core/policy/index.js';
import { StorageUnavailableError, type ClaimStore } from '../../../../shared/ports/index.js';
import { allHistory, GROUP, harness, T0 } from './support.js';

// enqueueDecisions with in-memory stores and the scripted Graph stand-in (FakeTenant).

const POLICY: PolicySettings = {
  defaultMode: 'enforce',
  enabledActions: ['autopilot-sync', 'allow-next-enrollment', 'add-to-device-prep-group', 'restore-device-prep-owner'],
  actionModes: {
    'autopilot-sync': 'enforce',
    'allow-next-enrollment': 'enforce',
    'add-to-device-prep-group': 'enforce',
    'restore-device-prep-owner': 'enforce',
    'delete-intune-device-record': 'enforce',
    'deregister-autopilot-device': 'enforce',
  },
  blastRadiusMaxDevices: 3,
  blastRadiusMaxPercent: 50,
  blastRadiusMinDevices: 5,
  cooldownMs: 0,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
};
const obj = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function memberFinding(i: number): Finding {
  return {
    code: 'DP_MEMBER_MISSING',
    subject: { kind: 'device', key: `SN-${i}`, serialNumber: `SN-${i}`, autopilotId: null },
    severity: 'warning',
    title: 'missing from device-prep group',
    evidence: {},
    fingerprint: `fp-member-${i}`,
    remedy: { action: 'add-to-device-prep-group', groupId: GROUP, objectId: obj(i), serialNumber: `SN-${i}` },
  };
}
const syncFinding = (i: number): Finding => ({
  code: 'AP_IMPORT_NOT_VISIBLE',
  subject: { kind: 'tenant', key: 'tenant' },
  severity: 'warning',
  title: 'imported device not visible',
  evidence: {},
  fingerprint: `fp-sync-${i}`,
  remedy: { action: 'autopilot-sync' },
});
const decideAll = (fs: Finding[]): Decision[] =>
  fs.map((f) =>
    decide(f, {
      history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null },
      now: T0,
      policy: POLICY,
      allowedGroupIds: [GROUP],
    }),
  );

describe('enqueueDecisions', () => {
  it('records every decision, parks sync reasons on the governor and sends the commands', async () => {
    const h = harness();
    const plan = planRun(
      decideAll([...Array.from({ length: 10 }, (_, i) => syncFinding(i)), memberFinding(1)]),
      { size: 1000, source: 'test fleet' },
      POLICY,
      'contoso',
      'run-7',
      T0,
    );
    const result = await enqueueDecisions(plan, h.deps());
    expect(result).toMatchObject({ sent: 2, decisionsRecorded: 11, blastRadiusAlerted: false });
    expect(h.queue.sent.map((s) => s.command.action)).toEqual(['autopilot-sync', 'add-to-device-prep-group']);
    expect((await h.stores.governor.get('contoso')).pendingReasons).toHaveLength(10);
    const decisions = (await allHistory(h.stores)).filter((r) => r.type === 'decision');
    expect(decisions).toHaveLength(11);
    expect(decisions.find((r) => r.subjectKey === 'SN-1')).toMatchObject({
      status: 'remediate',
      runId: 'run-7',
      idempotencyKey: plan.commands[1]!.idempotencyKey,
    });
    expect(h.alerts.alerts).toHaveLength(0);
  });

  it('blast radius breach: exactly one critical alert, and executing the run writes nothing', async () => {
    const h = harness();
    h.tenant.group(GROUP);
    for (const i of [1, 2, 3, 4]) h.tenant.device(obj(i));
    const plan = planRun(
      decideAll([1, 2, 3, 4].map(memberFinding)),
      { size: 10, source: 'test fleet' },
      POLICY,
      'contoso',
      'run-8',
      T0,
    );
    expect(plan.blastRadius.exceeded).toBe(true);
    const result = await enqueueDecisions(plan, h.deps());
    expect(result.blastRadiusAlerted).toBe(true);
    expect(h.alerts.alerts).toHaveLength(1);
    expect(h.alerts.alerts[0]).toMatchObject({
      kind: 'blast-radius',
      severity: 'critical',
      facts: { devices: 4, limitDevices: 3 },
    });
    for (const s of h.queue.sent) expect((await executeRemediation(s.command, h.deps())).status).toBe('planned');
    expect(h.tenant.writes).toHaveLength(0);
    // Still exactly one critical alert; the worker adds the run's outcome summary (all planned), at info.
    expect(h.alerts.alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['blast-radius', 'critical'],
      ['outcomes', 'info'],
    ]);
    expect(h.alerts.alerts[1]!.facts).toMatchObject({ 'Planned (plan mode)': 4 });
  });

  // Issue 15: in Azure the commands run on as many instances as Flex Consumption scales the queue function to, so
  // no instance's own limiter sees every write: the poll spreads a run's writing commands over the app-wide budget.
  it('spreads writing commands over the write budget when they run elsewhere; plan-mode commands are not paced', async () => {
    const h = harness();
    const base = planRun(
      decideAll([memberFinding(1)]),
      { size: 1000, source: 'test fleet' },
      POLICY,
      'contoso',
      'run-9',
      T0,
    );
    const one = base.commands[0]!;
    const writing = Array.from({ length: 5 }, (_, i) => ({ ...one, idempotencyKey: `k-${i}` }));
    const planned = { ...one, idempotencyKey: 'k-plan', mode: 'plan' as const };
    const plan = { ...base, commands: [writing[0]!, planned, ...writing.slice(1)] };
    await enqueueDecisions(plan, h.deps({ writePacing: { max: 2, windowMs: 20_000 } }));
    expect(h.queue.sent.map((s) => [s.command.idempotencyKey, s.notBefore])).toEqual([
      ['k-0', null],
      ['k-plan', null],
      ['k-1', null],
      ['k-2', T0 + 20_000],
      ['k-3', T0 + 20_000],
      ['k-4', T0 + 40_000],
    ]);
  });

  it('sends everything at once when this process drains the queue (no pacing configured)', async () => {
    const h = harness();
    const base = planRun(
      decideAll([memberFinding(1)]),
      { size: 1000, source: 'test fleet' },
      POLICY,
      'contoso',
      'run-10',
      T0,
    );
    const plan = {
      ...base,
      commands: Array.from({ length: 3 }, (_, i) => ({ ...base.commands[0]!, idempotencyKey: `k-${i}` })),
    };
    await enqueueDecisions(plan, h.deps());
    expect(h.queue.sent.map((s) => s.notBefore)).toEqual([null, null, null]);
  });

  // A later poll can plan a command an earlier message has already run (plan mode keeps the key; integration:
  // completed-before-resend-run-outcome.test.ts). Its copy would be dropped as a duplicate message id or meet a
  // completed claim, so the poll neither sends nor expects it; one that runs between the poll's claim read and its
  // `expect` is recorded into the run by the poll. Storage failing on either read fails the poll before it sends.
  const planFor = (runId: string, findings: Finding[]) =>
    planRun(decideAll(findings), { size: 1000, source: 'test fleet' }, POLICY, 'contoso', runId, T0);

  async function complete(h: ReturnType<typeof harness>, command: RemediationCommand): Promise<void> {
    const taken = await h.stores.claims.claim({
      action: command.action,
      key: command.idempotencyKey,
      payloadHash: payloadHash(command),
      owner: 'worker-1',
      now: T0,
      ttlMs: 60_000,
    });
    if (taken.kind !== 'claimed') throw new Error('claim not taken');
    await h.stores.claims.complete(taken.claim, { status: 'succeeded', detail: 'added' }, T0);
  }

  const summaries = (h: ReturnType<typeof harness>): string[] =>
    h.alerts.alerts.filter((a) => a.dedupeKey.startsWith('outcomes:')).map((a) => a.dedupeKey);

  it('a command already run is neither sent nor expected: the run holds only what it queues', async () => {
    const h = harness();
    const ran = planFor('run-1', [memberFinding(1)]).commands[0]!;
    await complete(h, ran);

    const plan = planFor('run-2', [memberFinding(1), syncFinding(1)]);
    expect(
      plan.commands.map((c) => c.idempotencyKey),
      'the same group-add, and a sync',
    ).toContain(ran.idempotencyKey);
    expect(plan.commands).toHaveLength(2);
    const fresh = plan.commands.find((c) => c.idempotencyKey !== ran.idempotencyKey)!;
    await enqueueDecisions(plan, h.deps());
    expect(h.queue.sent.map((s) => s.command.idempotencyKey)).toEqual([fresh.idempotencyKey]);
    expect((await h.stores.runOutcomes.list('run-2')).map((c) => [c.idempotencyKey, c.status])).toEqual([
      [fresh.idempotencyKey, null],
    ]);
    expect(summaries(h), 'no summary repeats the earlier run').toEqual([]);
  });

  it('a command whose message runs between the claim read and expect: its outcome goes into the run', async () => {
    const h = harness();
    const command = planFor('run-1', [memberFinding(1)]).commands[0]!;
    const real = h.stores.claims;
    let reads = 0;
    // The first read finds no claim; by the second the worker has run the command (done here, between the two).
    const racing: ClaimStore = Object.assign(Object.create(real) as ClaimStore, {
      get: async (action: RemediationCommand['action'], key: string) => {
        reads += 1;
        if (reads === 1) {
          await complete(h, command);
          return null;
        }
        return real.get(action, key);
      },
    });
    await enqueueDecisions(planFor('run-2', [memberFinding(1)]), h.deps({ claims: racing }));
    expect((await h.stores.runOutcomes.list('run-2')).map((c) => [c.idempotencyKey, c.status])).toEqual([
      [command.idempotencyKey, 'succeeded'],
    ]);
    expect(summaries(h), 'the run is complete and sends its summary once').toEqual(['outcomes:run-2']);
  });

  it('claims unreadable: the poll fails and sends nothing', async () => {
    const lost = new StorageUnavailableError('medicClaims', 'connect ECONNREFUSED 127.0.0.1:1');
    const h = harness();
    const unreadable: ClaimStore = Object.assign(Object.create(h.stores.claims) as ClaimStore, {
      get: () => Promise.reject(lost),
    });
    await expect(enqueueDecisions(planFor('run-2', [memberFinding(1)]), h.deps({ claims: unreadable }))).rejects.toBe(
      lost,
    );
    expect(h.queue.sent, 'nothing is sent when claims cannot be read').toEqual([]);
  });
});
