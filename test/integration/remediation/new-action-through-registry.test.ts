import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { TARGET_SCHEMAS, parseCommand } from '../../../shared/adapters/servicebus/command-schema.js';
import { enqueueDecisions } from '../../../shared/app/remediation/index.js';
import { WORKER_HANDLERS, type TargetHandler } from '../../../shared/app/remediation/handlers/index.js';
import type { RemediationDeps } from '../../../shared/app/remediation/deps.js';
import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { ACTION_MODULES, type ActionModule, type PlanContext } from '../../../shared/core/actions/index.js';
import {
  ACTIONS,
  type CommandTarget,
  type Decision,
  type Finding,
  type RemediationCommand,
} from '../../../shared/core/model/index.js';
import { decide, planRun, type PolicySettings } from '../../../shared/core/policy/index.js';
import type { Simulator } from '../../../sim/index.js';
import { T0, memoryStores, simForFile, simHarness, writes } from './support.js';

// Issue 16, "a new remediation action is a one-module change": a throwaway action is added here, in the test, through
// the registries alone — its core module (ACTION_MODULES), its worker handler (WORKER_HANDLERS), its queue target
// schema (TARGET_SCHEMAS) and its name in ACTIONS — and no other product file. It then flows end to end: decided,
// counted in the blast radius, planned into a command, enqueued, serialised and parsed as a Service Bus body would
// be, executed against the simulator (a fresh pre-check, an attempt row before the write, a re-read), and recorded.
// The registries are typed so the product cannot compile without every piece; a test adds one at run time, so it
// goes through `unknown` casts here and nowhere else.

const NAME = 'test-unblock-again';
const AP_ID = 'ad000000-0000-4000-8000-0000000000f1';
const SERIAL = 'SN-THROWAWAY-1';

type Remedy = { readonly action: typeof NAME; readonly autopilotId: string; readonly serialNumber: string };

const module: ActionModule = {
  name: NAME,
  enabledByDefault: false,
  subjectKind: 'device',
  fleet: 'autopilot',
  rule: { call: '`POST …/allowNextEnrollment`', gates: ['test only'], caps: [] },
  describe: (r: unknown) => `test-unblock device ${(r as Remedy).serialNumber}`,
  blastTarget: (r: unknown) => `device|${(r as Remedy).serialNumber.toLowerCase()}`,
  safetyGate: () => null,
  commands: (acting: readonly Decision[], { tenant, make }: PlanContext) =>
    acting.map((d) => {
      const r = d.remedy as unknown as Remedy;
      const target = {
        action: NAME,
        autopilotId: r.autopilotId,
        serialNumber: r.serialNumber,
      } as unknown as CommandTarget;
      return make(target, d.mode, `${tenant}|${NAME}|${r.autopilotId}|${d.attempt}`, [d.finding.fingerprint]);
    }),
  subjectKeys: (t: unknown) => [(t as Remedy).serialNumber.toUpperCase()],
  targetProblems: (t: unknown) => (/^[0-9a-f-]{36}$/i.test((t as Remedy).autopilotId) ? [] : ['target.autopilotId']),
} as unknown as ActionModule;

function handler(target: unknown, deps: RemediationDeps): TargetHandler {
  const t = target as Remedy;
  const status = async () => (await deps.autopilot.getDeviceIdentity(t.autopilotId))?.userlessEnrollmentStatus ?? null;
  return {
    proofRequired: true,
    precheck: async () => {
      const before = { userlessEnrollmentStatus: await status() };
      return before.userlessEnrollmentStatus === 'blocked'
        ? { kind: 'act', before, work: [t.autopilotId] }
        : { kind: 'clear', before, detail: 'not blocked' };
    },
    write: () => ({
      method: 'POST',
      path: `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${t.autopilotId}/allowNextEnrollment`,
      body: null,
    }),
    act: async () => {
      const r = await deps.actions.allowNextEnrollment(t.autopilotId);
      return {
        requestId: r.requestId,
        alreadyDone: r.alreadyDone,
        items: new Map([[t.autopilotId, r.alreadyDone]]),
        failed: new Map(),
      };
    },
    verify: async () => {
      const after = await status();
      return { state: { userlessEnrollmentStatus: after }, proven: after === 'allowed' };
    },
  };
}

const registries = [ACTION_MODULES, WORKER_HANDLERS, TARGET_SCHEMAS] as unknown as Record<string, unknown>[];
function register(): void {
  (ACTIONS as unknown as string[]).push(NAME);
  (ACTION_MODULES as unknown as Record<string, unknown>)[NAME] = module;
  (WORKER_HANDLERS as unknown as Record<string, unknown>)[NAME] = { kind: 'targeted', handler };
  (TARGET_SCHEMAS as unknown as Record<string, unknown>)[NAME] = z.object({
    action: z.literal(NAME),
    autopilotId: z.guid(),
    serialNumber: z.string().min(1),
  });
}
function unregister(): void {
  const list = ACTIONS as unknown as string[];
  if (list.at(-1) === NAME) list.pop();
  for (const r of registries) Reflect.deleteProperty(r, NAME);
}

const POLICY: PolicySettings = {
  defaultMode: 'enforce',
  enabledActions: [NAME as never],
  actionModes: {} as PolicySettings['actionModes'],
  blastRadiusMaxDevices: 50,
  blastRadiusMaxPercent: 10,
  blastRadiusMinDevices: 5,
  cooldownMs: 0,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
};

let sim: Simulator;
simForFile((s) => (sim = s));
afterEach(unregister);

describe('a throwaway action added through the registries alone', () => {
  it('is refused everywhere while unregistered (the queue parser knows no such action)', () => {
    const body = {
      schemaVersion: 1,
      idempotencyKey: 'k',
      action: NAME,
      tenant: 'contoso',
      mode: 'enforce',
      target: { action: NAME, autopilotId: AP_ID, serialNumber: SERIAL },
      reasons: [],
      runId: 'r',
      createdAt: new Date(T0).toISOString(),
    };
    expect(parseCommand(JSON.stringify(body))).toEqual({ ok: false, reason: `unknown action "${NAME}"` });
  });

  it('flows end to end: decided, counted, planned, queued, parsed, executed against the simulator, recorded', async () => {
    register();
    sim.tenant.addIdentity({ id: AP_ID, serialNumber: SERIAL, userlessEnrollmentStatus: 'blocked' });
    sim.clearRequests();
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const deps = h.deps('worker', { policy: POLICY });

    const finding: Finding = {
      code: 'TEST_THROWAWAY',
      subject: { kind: 'device', key: SERIAL, serialNumber: SERIAL, autopilotId: AP_ID },
      severity: 'warning',
      title: 'throwaway',
      evidence: {},
      fingerprint: 'fp-throwaway',
      remedy: { action: NAME, autopilotId: AP_ID, serialNumber: SERIAL } as never,
    };
    const decision = decide(finding, {
      history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null },
      now: T0,
      policy: POLICY,
      allowedGroupIds: [],
    });
    expect(decision).toMatchObject({
      kind: 'remediate',
      action: NAME,
      mode: 'enforce',
      reason: `will test-unblock device ${SERIAL} (attempt 1)`,
    });

    const plan = planRun([decision], { size: 20, source: 'test fleet', scope: 'all' }, POLICY, 'contoso', 'run-x', T0);
    expect(plan.blastRadius).toMatchObject({ exceeded: false, targets: 1, devices: 1, percent: 5 });
    expect(plan.commands).toHaveLength(1);

    // Enqueue through the product path; the message leaves as JSON, as a Service Bus body does, and is parsed back.
    const sent: RemediationCommand[] = [];
    await enqueueDecisions(plan, { ...deps, queue: { send: (c) => Promise.resolve(void sent.push(c)) } });
    expect(sent).toHaveLength(1);
    const parsed = parseCommand(JSON.stringify(sent[0]));
    if (!parsed.ok) throw new Error(parsed.reason);

    const outcome = await executeRemediation(parsed.command, deps);
    expect(outcome.status).toBe('succeeded');
    expect(writes(sim)).toEqual([
      {
        method: 'POST',
        path: `/deviceManagement/windowsAutopilotDeviceIdentities/${AP_ID}/allowNextEnrollment`,
        status: 204,
      },
    ]);
    const rows = (await stores.history.query({ subjectKey: SERIAL, limit: 50 })).items;
    expect(rows.map((r) => [r.type, r.status])).toEqual(
      expect.arrayContaining([
        ['decision', 'remediate'],
        ['attempt', 'started'],
        ['outcome', 'succeeded'],
      ]),
    );
    const attempt = rows.find((r) => r.type === 'attempt');
    const done = rows.find((r) => r.type === 'outcome');
    expect(attempt && done && attempt.at <= done.at).toBe(true);

    // Redelivered: the claim makes it a duplicate, nothing is written twice.
    expect((await executeRemediation(parsed.command, deps)).status).toBe('duplicate');
    expect(writes(sim)).toHaveLength(1);
  });
});
