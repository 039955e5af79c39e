import { InvocationContext } from '@azure/functions';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeRemediateHandler } from '../../functions/remediate.js';
import { silentLogger } from '../../shared/adapters/logging/loggers.js';
import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import { buildContainer } from '../../shared/composition/container.js';
import { loadConfig } from '../../shared/config/index.js';
import { startReceiver } from '../integration/alerts/receiver.js';
import { withAzurite } from '../support/azurite.js';
import { tenantWrites } from '../support/tenant-writes.js';
import {
  ChaosCase,
  DEMO_GROUP,
  firstClaim,
  isAttemptRow,
  leakedSecrets,
  newSigningKey,
  until,
  type ChaosWorld,
  type Verdict,
} from './cli-chaos.js';

// Issue 13: the chaos suite (`npm run chaos`, also run by .ci/run). Each case drives the CLI process against the
// simulator with one fault, then, where the fault leaves work undone, a recovery run without it. For every case:
// the exit codes, tenant writes seen by the simulator == writes with an attempt row stored before them (no hidden
// writes, none unrecorded), no write made twice across the runs, and no secret in any output. The table of cases
// and results is printed and written to test-output/chaos.md (the README keeps a copy).

const IDENTITIES = 'windowsAutopilotDeviceIdentities$';

let world: ChaosWorld & { stop(): Promise<void> };
interface Row extends Verdict {
  readonly name: string;
  readonly fault: string;
  readonly expected: string;
  readonly seconds: number;
}
const rows: Row[] = [];

beforeAll(async () => {
  const [azurite, webhook] = await Promise.all([withAzurite(), startReceiver(() => ({ status: 204 }))]);
  world = {
    azurite,
    webhook,
    signingKey: newSigningKey(),
    stop: async () => void (await Promise.all([azurite.stop(), webhook.close()])),
  };
}, 120_000);

afterAll(async () => {
  await world?.stop();
  const table = [
    '| case | fault | expected | exit codes | tenant writes | attempt rows | hidden writes | duplicate writes | secrets in output | seconds |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.fault} | ${r.expected} | ${r.exits.join(' → ')} | ${r.writes} | ${r.attempts} | ${r.hidden.length} | ${r.duplicates.length} | ${r.leaked.length === 0 ? 'none' : r.leaked.join(', ')} | ${r.seconds.toFixed(1)} |`,
    ),
  ].join('\n');
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/chaos.md', `${table}\n`);
  console.log(`\nChaos suite (${rows.length} cases):\n${table}\n`);
});

/** Runs one case, checks what every case must hold, and adds its row to the table. */
async function chaos(
  name: string,
  fault: string,
  expected: string,
  body: (c: ChaosCase) => Promise<void>,
): Promise<Verdict> {
  const started = performance.now();
  const c = await ChaosCase.start(world);
  try {
    await body(c);
    const v = await c.verdict();
    rows.push({ name, fault, expected, seconds: (performance.now() - started) / 1000, ...v });
    expect(v.hidden, 'every tenant write has its attempt row, stored before it').toEqual([]);
    expect(v.duplicates, 'no tenant write is made twice').toEqual([]);
    expect(v.leaked, 'no secret in any output').toEqual([]);
    return v;
  } finally {
    await c.stop();
  }
}

describe('chaos: the CLI process under faults (simulator, Azurite behind a proxy)', () => {
  let baselineStorage: readonly string[] = [];
  let baselinePrefix = '';

  it('baseline: no fault', async () => {
    const v = await chaos('baseline', 'none', "exit 0; the demo's 3 writes", async (c) => {
      const s = await c.sweep();
      expect(s.run.code, s.run.stderr).toBe(0);
      baselineStorage = s.storage;
      baselinePrefix = c.prefix;
    });
    expect(v.writes).toBe(3);
  });

  describe.each([
    { where: 'in the poll', at: (claim: number) => Math.floor(claim / 2) },
    { where: 'right after the first attempt row', at: () => baselineStorage.findIndex(isAttemptRow) + 1 },
    { where: 'mid-remediation', at: (claim: number) => claim + Math.floor((baselineStorage.length - claim) / 2) },
    {
      where: 'after the last claim completes',
      at: () => baselineStorage.findLastIndex((l) => l.includes(`${baselinePrefix}Claims`)) + 1,
    },
  ])('Table Storage cut $where', ({ where, at }) => {
    it('fails the run (exit 1, storage named), then a recovery run finishes the work without repeating a write', async () => {
      const cutAfter = at(firstClaim(baselineStorage, baselinePrefix));
      expect(cutAfter).toBeGreaterThan(0);
      await chaos(
        `storage cut ${where}`,
        `Table Storage cut after request ${cutAfter} of ${baselineStorage.length}`,
        'exit 1 naming Table Storage → recovery exit 0 (→ once a held claim expires, exit 0)',
        async (c) => {
          // Claims expire after 30 s here (CLAIM_TTL_SECONDS, default 600), so the case can wait one out.
          const env = { CLAIM_TTL_SECONDS: '30' };
          const cut = await c.sweep({ proxy: { cutAfter }, env });
          expect(cut.run.code, `cut before ${cut.storage.at(-1) ?? '?'}; stdout: ${cut.run.stdout.slice(0, 300)}`).toBe(
            1,
          );
          expect(cut.run.stderr).toMatch(/Table Storage is unreachable/);
          expect(cut.run.stdout, 'nothing reported as done').toBe('');
          const recovery = await c.sweep({ env });
          expect(recovery.run.code, recovery.run.stderr).toBe(0);
          if (c.writes().length < 3) {
            // The cut run held a claim it could not complete: nobody can know whether its write went out until the
            // claim expires; then the next run re-reads the target and finishes the work (or finds it done).
            await new Promise((r) => setTimeout(r, 31_000));
            const after = await c.sweep({ env });
            expect(after.run.code, after.run.stderr).toBe(0);
          }
          // Between them, the runs made the demo's three writes, once each.
          expect(c.writes()).toHaveLength(3);
        },
      );
    });
  });

  it('a Graph 5xx storm that passes: retried, the run succeeds', async () => {
    await chaos(
      '5xx storm, passing',
      'every Graph read answers 503 (Retry-After 1 s), 6 times',
      "exit 0; the demo's 3 writes",
      async (c) => {
        c.fault({ method: 'GET', status: 503, retryAfterSeconds: 1, times: 6 });
        const s = await c.sweep();
        expect(s.run.code, s.run.stderr).toBe(0);
        expect(c.writes()).toHaveLength(3);
      },
    );
  });

  it('a Graph 5xx storm that lasts: the run fails without writing, the next one after it does the work', async () => {
    await chaos(
      '5xx storm, lasting',
      'Autopilot device reads answer 503 for the whole run',
      'exit 1, no write → after the storm exit 0',
      async (c) => {
        c.fault({ id: 'storm', method: 'GET', path: IDENTITIES, status: 503 });
        const s = await c.sweep();
        expect(s.run.code).toBe(1);
        expect(s.run.stderr).toMatch(/503|unavailable/i);
        expect(c.writes()).toEqual([]);
        c.sim.faults.remove('storm');
        const after = await c.sweep();
        expect(after.run.code, after.run.stderr).toBe(0);
      },
    );
  });

  it('a rotating nextLink: the read stops at the first repeated page, the run fails instead of looping', async () => {
    await chaos(
      'rotating nextLink',
      'Autopilot device pages link to a new URL of the same page, forever',
      'exit 1 at the first repeated page, no write',
      async (c) => {
        c.fault({ method: 'GET', path: IDENTITIES, rotatingCursor: true });
        const s = await c.sweep();
        expect(s.run.code).toBe(1);
        expect(s.run.stderr).toMatch(/truncated|page/i);
        expect(c.writes()).toEqual([]);
        expect(
          c.sim.requests().filter((r) => r.path.endsWith('/windowsAutopilotDeviceIdentities')).length,
        ).toBeLessThan(200);
      },
    );
  });

  it('429 with a one-hour Retry-After on a read: the run gives up at once instead of sleeping an hour', async () => {
    await chaos(
      '429, Retry-After 1 h (read)',
      'Autopilot device reads answer 429 with Retry-After: 3600',
      'exit 1 in seconds, no write',
      async (c) => {
        c.fault({ method: 'GET', path: IDENTITIES, status: 429, retryAfterSeconds: 3600 });
        const s = await c.sweep();
        expect(s.run.code).toBe(1);
        expect(s.ms).toBeLessThan(60_000);
        expect(c.writes()).toEqual([]);
      },
    );
  });

  it('429 with a one-hour Retry-After on a write: the write is not retried within the hour, by this run or the next', async () => {
    await chaos(
      '429, Retry-After 1 h (write)',
      'the unblock answers 429 with Retry-After: 3600, once',
      'runs end in seconds; the unblock is not re-sent within the hour',
      async (c) => {
        c.fault({ method: 'POST', path: 'allowNextEnrollment$', status: 429, retryAfterSeconds: 3600, times: 1 });
        const unblocks = () =>
          c.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/allowNextEnrollment'));
        const s = await c.sweep();
        expect(s.ms).toBeLessThan(60_000);
        expect([0, 1]).toContain(s.run.code);
        // The refused call reached the simulator once (a 429 changes nothing) and was not retried.
        expect(unblocks()).toHaveLength(1);
        const next = await c.sweep();
        expect(next.ms).toBeLessThan(60_000);
        expect(unblocks(), 'the next run honours the Retry-After too').toHaveLength(1);
        expect(c.sim.tenant.identity(c.sim.planted.items['blocked']![0]!.identityId!)?.userlessEnrollmentStatus).toBe(
          'blocked',
        );
      },
    );
  });

  it('kill -9 between the Graph write and its completion record, then a recovery run', async () => {
    await chaos(
      'kill -9 after a write',
      'storage held after the first attempt row; the process killed once the write reached the tenant',
      'killed → recovery exit 0, the write not repeated',
      async (c) => {
        const killed = await c.sweep({
          proxy: { holdAfter: isAttemptRow },
          during: async (ctl) => {
            await until(() => ctl.held() && tenantWrites(c.sim).length > 0, 60_000, 'the first tenant write');
            ctl.kill();
          },
        });
        expect(killed.run.signal).toBe('SIGKILL');
        expect(c.writes()).toHaveLength(1);
        const recovery = await c.sweep();
        expect(recovery.run.code, recovery.run.stderr).toBe(0);
        expect(c.writes()).toHaveLength(3);
      },
    );
  });
});

describe('chaos: poison and forged queue messages to the worker (Functions handler, real InvocationContext)', () => {
  async function worker(c: ChaosCase, env: Record<string, string>) {
    const config = loadConfig({ ...c.env(env), STORAGE_CONNECTION_STRING: world.azurite.connectionString });
    const container = await buildContainer(config, { logger: silentLogger });
    const logs: string[] = [];
    const handler = makeRemediateHandler(() => Promise.resolve(container.remediationDeps()));
    const deliver = async (body: unknown, messageId: string) => {
      const ctx = new InvocationContext({
        invocationId: `chaos-${messageId}`,
        functionName: 'remediate',
        triggerMetadata: { messageId, deliveryCount: 1 },
        logHandler: (level, ...args) =>
          void logs.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
      });
      // Completed, never thrown back: a message that can never succeed is not redelivered.
      await expect(handler(body, ctx)).resolves.toBeUndefined();
    };
    return { deliver, logs, dispose: () => container.dispose() };
  }

  const command = (target: Record<string, unknown>, mode = 'enforce') => ({
    schemaVersion: 1,
    idempotencyKey: `chaos:${String(target['action'])}:${Math.random().toString(36).slice(2)}`,
    action: target['action'],
    tenant: 'chaos',
    mode,
    target,
    reasons: ['chaos'],
    runId: 'chaos-forged',
    createdAt: new Date().toISOString(),
  });

  it('poison messages: refused, recorded, alerted, completed; nothing written', async () => {
    await chaos(
      'poison messages',
      'not JSON; an unknown action; a non-GUID id; 10 kB of control characters',
      'refused and recorded, 0 writes, not retried',
      async (c) => {
        const w = await worker(c, {});
        const alertsBefore = world.webhook.requests.length;
        try {
          await w.deliver('{"schemaVersion":1,', 'poison-1');
          await w.deliver(
            {
              ...command({ action: 'allow-next-enrollment', autopilotId: 'x', serialNumber: 'SN' }),
              action: 'wipe-device',
            },
            'poison-2',
          );
          await w.deliver(
            command({ action: 'allow-next-enrollment', autopilotId: '../../../deviceManagement', serialNumber: 'SN' }),
            'poison-3',
          );
          await w.deliver('\u0000\u001b[2J'.repeat(2_500), 'poison-4');
        } finally {
          await w.dispose();
        }
        const stores = await createTableStores({ connectionString: world.azurite.connectionString }, c.prefix);
        const invalid = (await stores.history.query({ type: 'invalid-message', limit: 100 })).items;
        expect(invalid.map((r) => (r.before as { messageId: string }).messageId).sort()).toEqual([
          'poison-1',
          'poison-2',
          'poison-3',
          'poison-4',
        ]);
        expect(world.webhook.requests.length - alertsBefore).toBeGreaterThanOrEqual(4);
        expect(c.writes()).toEqual([]);
        expect(leakedSecrets(w.logs.join('\n'), c.secrets())).toEqual([]);
        c.runs.push({ run: { code: 0, stdout: '', stderr: w.logs.join('\n') }, storage: [], ms: 0 });
      },
    );
  });

  it('forged messages: enforce asked under plan, a foreign owner, a group not configured — nothing written', async () => {
    await chaos(
      'forged messages',
      'enforce under REMEDIATION_MODE=plan; a foreign service principal as owner; an unconfigured group',
      'refused, recorded, 0 writes',
      async (c) => {
        const blocked = c.sim.planted.items['blocked']?.[0];
        expect(blocked?.identityId).toBeDefined();
        const sp = c.sim.tenant.state.servicePrincipals.values()[0];
        expect(sp).toBeDefined();
        const w = await worker(c, {
          REMEDIATION_MODE: 'plan',
          REMEDIATION_ACTION_MODES: 'restore-device-prep-owner=enforce,add-to-device-prep-group=enforce',
        });
        try {
          await w.deliver(
            command({
              action: 'allow-next-enrollment',
              autopilotId: blocked!.identityId,
              serialNumber: blocked!.serialNumber,
            }),
            'forged-1',
          );
          await w.deliver(
            command({
              action: 'restore-device-prep-owner',
              groupId: DEMO_GROUP,
              servicePrincipalId: '44444444-4444-4444-8444-444444444444',
            }),
            'forged-2',
          );
          await w.deliver(
            command({
              action: 'add-to-device-prep-group',
              groupId: '55555555-5555-4555-8555-555555555555',
              members: [{ objectId: '66666666-6666-4666-8666-666666666666', serialNumber: null }],
            }),
            'forged-3',
          );
        } finally {
          await w.dispose();
        }
        const stores = await createTableStores({ connectionString: world.azurite.connectionString }, c.prefix);
        const outcomes = (await stores.history.query({ type: 'outcome', limit: 100 })).items;
        // The unblock is refused before its mode matters: the device has no open AP_USERLESS_BLOCKED finding with a
        // 0x80180014 failure (the worker re-applies the unblock gate). Plan mode's downgrade of an enforce message is
        // covered by test/integration/remediation/plan-and-blast.test.ts.
        expect(outcomes.map((o) => o.status).sort()).toEqual(['refused', 'refused', 'refused']);
        expect(outcomes.find((o) => o.action === 'allow-next-enrollment')?.reason).toMatch(/AP_USERLESS_BLOCKED/);
        expect(c.writes()).toEqual([]);
        expect(c.sim.tenant.identity(blocked!.identityId!)?.userlessEnrollmentStatus).toBe('blocked');
        expect(leakedSecrets(w.logs.join('\n'), c.secrets())).toEqual([]);
        c.runs.push({ run: { code: 0, stdout: '', stderr: w.logs.join('\n') }, storage: [], ms: 0 });
      },
    );
  });
});
