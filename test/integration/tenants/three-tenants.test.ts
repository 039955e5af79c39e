import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { InvocationContext, type Timer } from '@azure/functions';
import { TableServiceClient } from '@azure/data-tables';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeFleetTimerHandler } from '../../../functions/tenant-jobs.js';
import { checkHealth } from '../../../shared/app/health/check-health.js';
import { buildFleet, type Fleet } from '../../../shared/composition/fleet.js';
import { healthInputs } from '../../../shared/composition/health.js';
import { loadDeployment } from '../../../shared/config/index.js';
import type { HistoryRecord } from '../../../shared/ports/index.js';
import { startSimulator, type RequestLogEntry, type Simulator } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import { captureLogger, devicePrepGroupsOf, uniqueTablePrefix, type Azurite } from '../../support/harness.js';
import { DEMO } from '../poll/expected.js';

// Issue 21, the product test: one deployment, three simulated tenants on one Graph endpoint (each reached with its
// own token), Azurite tables, a real InvocationContext and the timer's own handler.
//  - BROKEN (the demo's problems, enforce): remediated — exactly the demo's documented writes, in its tenant only.
//  - HEALTHY (nothing to fix, enforce): untouched — no write, no claim, no remediation alert.
//  - DENIED (the demo's data again, every request answered 403): its run fails and it is reported unhealthy, and
//    neither delays nor aborts the other two.
// DENIED carries the same object ids as BROKEN on purpose: isolation is shown by state, not by ids that differ.
// No record, claim, alert or Graph request mixes tenants: each tenant's tables hold only its own subjects, each
// alert arrives at its own tenant's webhook signed with its own secret, and each tenant's request log (the
// simulator files every request under the tenant its token names) holds only its own reads and writes.

const BROKEN = '0b0b0b0b-1111-4111-8111-00000000000b';
const HEALTHY = '0e0e0e0e-2222-4222-8222-00000000000e';
const DENIED = '0d0d0d0d-3333-4333-8333-00000000000d';
const TENANTS = [BROKEN, HEALTHY, DENIED] as const;
const secretOf = (tenant: string): string => `whsec_${Buffer.from(`secret-of-${tenant}`).toString('base64')}`;

interface Received {
  readonly tenant: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

let azurite: Azurite;
let sim: Simulator;
let fleet: Fleet;
let hooks: Server;
const received: Received[] = [];
const logs = captureLogger();
let tablePrefix: string;
/** What the timer invocation ended with: null, or the error it failed with. */
let invocation: unknown;

/** The webhook receivers: one path per tenant on one loopback server. */
async function startHooks(): Promise<string> {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      received.push({ tenant: (req.url ?? '').slice(1), body, headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
}

function timer(): Timer {
  const now = sim.clock.nowMs();
  return {
    isPastDue: false,
    schedule: { adjustForDST: true },
    scheduleStatus: {
      last: new Date(now - 300_000).toISOString(),
      next: new Date(now + 300_000).toISOString(),
      lastUpdated: new Date(now).toISOString(),
    },
  };
}

/** What the invocation logged, as the host would record it. */
const hostLog: { level: string; event: unknown; fields: unknown }[] = [];
const context = (id: string): InvocationContext =>
  new InvocationContext({
    invocationId: id,
    functionName: 'poll',
    logHandler: (level, ...args) => void hostLog.push({ level, event: args[0], fields: args[1] }),
  });

async function historyOf(tenant: string): Promise<HistoryRecord[]> {
  const profile = fleet.find(tenant);
  if (profile === null) throw new Error(`no tenant ${tenant}`);
  const container = await fleet.container(profile);
  const page = await container.stores.history.query({ limit: 1000 });
  return [...page.items];
}

/** Every serial number and object id the tenant's Graph holds, read with the tenant's own token. */
async function idsOf(tenant: string): Promise<Set<string>> {
  const token = sim.tenantById(tenant).token;
  const out = new Set<string>();
  for (const path of ['/beta/deviceManagement/windowsAutopilotDeviceIdentities', '/v1.0/devices', '/v1.0/groups']) {
    const res = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { value?: { id?: string; serialNumber?: string }[] };
    for (const o of body.value ?? []) {
      if (o.id) out.add(o.id.toLowerCase());
      if (o.serialNumber) out.add(o.serialNumber.toUpperCase());
    }
  }
  return out;
}

const graphWrites = (entries: readonly RequestLogEntry[]): RequestLogEntry[] =>
  entries.filter((r) => r.kind === 'write' && r.version !== null && r.path !== '/$batch');

beforeAll(async () => {
  azurite = await withAzurite();
  // A second into a minute: the timer's slot is the same minute throughout the run.
  sim = await startSimulator({
    now: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000),
    tenants: [
      { tenantId: BROKEN, scenario: 'demo' },
      { tenantId: HEALTHY, scenario: 'healthy' },
      { tenantId: DENIED, scenario: 'demo', denials: [{ path: '.' }] },
    ],
  });
  const hookBase = await startHooks();
  tablePrefix = uniqueTablePrefix('mt');
  const settings = (tenant: string) => ({
    GRAPH_TOKEN: sim.tenantById(tenant).token,
    WEBHOOK_URL: `${hookBase}/${tenant}`,
    WEBHOOK_SECRET: secretOf(tenant),
    ...(tenant === HEALTHY ? {} : { DEVICE_PREP_GROUPS: devicePrepGroupsOf('demo') }),
  });
  const deployment = loadDeployment({
    GRAPH_BASE_URL: sim.url,
    GRAPH_AUTH: 'static-token',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: tablePrefix,
    REMEDIATION_MODE: 'enforce',
    ALERT_DIGEST_THRESHOLD: '1000',
    TENANTS: JSON.stringify([
      { id: BROKEN, name: 'Broken Ltd', settings: settings(BROKEN) },
      { id: HEALTHY, name: 'Healthy Inc', settings: settings(HEALTHY) },
      { id: DENIED, name: 'Denied GmbH', settings: settings(DENIED) },
    ]),
  });
  fleet = await buildFleet(deployment, {
    logger: logs,
    clock: { now: () => sim.clock.nowMs() },
    graph: {
      sleep: (ms) => {
        sim.clock.advance(Math.max(0, ms));
        return new Promise((resolve) => setImmediate(resolve));
      },
    },
  });
  // The poll timer, as the host fires it: one invocation fans out to every tenant.
  invocation = await makeFleetTimerHandler('poll', () => Promise.resolve(fleet))(timer(), context('poll-1')).then(
    () => null,
    (err: unknown) => err,
  );
}, 120_000);

afterAll(async () => {
  await fleet?.dispose();
  await sim?.stop();
  await new Promise((resolve) => hooks?.close(resolve));
  await azurite?.stop();
});

describe('three tenants, one deployment', () => {
  it('the broken tenant is remediated: exactly the demo documented writes, verified in its tenant', async () => {
    const writes = graphWrites(sim.tenantById(BROKEN).requests());
    expect(writes.filter((w) => w.status >= 400)).toEqual([]);
    expect(writes.map((w) => `${w.method} /${w.version}${w.path}`).sort()).toEqual(
      [
        `POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${DEMO.blocked.identityId}/allowNextEnrollment`,
        `PATCH /v1.0/groups/${DEMO.group}`,
        `POST /v1.0/groups/${DEMO.group}/owners/$ref`,
      ].sort(),
    );
    const outcomes = (await historyOf(BROKEN)).filter((r) => r.type === 'outcome');
    expect(outcomes.map((r) => r.status)).toEqual(expect.arrayContaining(['succeeded']));
    expect(outcomes.filter((r) => r.status === 'succeeded').map((r) => r.action)).toEqual(
      expect.arrayContaining(['allow-next-enrollment', 'add-to-device-prep-group', 'restore-device-prep-owner']),
    );
  });

  it('the healthy tenant is untouched: read, never written, nothing claimed or attempted', async () => {
    const requests = sim.tenantById(HEALTHY).requests();
    expect(requests.filter((r) => r.kind === 'read').length).toBeGreaterThan(0);
    expect(graphWrites(requests)).toEqual([]);
    const history = await historyOf(HEALTHY);
    expect(history.filter((r) => r.type === 'attempt' || r.type === 'outcome')).toEqual([]);
    expect(history.filter((r) => r.type === 'run').map((r) => r.status)).toEqual(['completed']);
  });

  it('the denied tenant: every request 403, its run aborted, reported unhealthy; the others ran anyway', async () => {
    const requests = sim.tenantById(DENIED).requests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.version !== null && r.path !== '/$batch' && r.status !== 403)).toEqual([]);
    const runs = (await historyOf(DENIED)).filter((r) => r.type === 'run');
    expect(runs.map((r) => r.status)).toEqual(['aborted']);
    // The deployment's own run row counts the tenants: two ran, one failed.
    const deployment = await fleet.deploymentContainer();
    const own = (await deployment.stores.history.query({ limit: 10 })).items.filter((r) => r.type === 'run');
    expect(own).toHaveLength(1);
    expect(own[0]?.reason).toMatch(/tenants 3.*ran 2.*failed 1/);
    // Once every tenant had its turn, the invocation fails (as a single tenant's failed run does), naming it.
    expect(invocation).toBeInstanceOf(Error);
    expect((invocation as Error).message).toBe(`poll: 1 of 3 tenants failed (${DENIED})`);
    const failedLines = hostLog.filter((l) => l.level === 'error' && l.event === 'poll.tenant-failed');
    expect(failedLines.map((l) => (l.fields as { tenant?: string }).tenant)).toEqual([DENIED]);

    const health = async (tenant: string) => {
      const profile = fleet.find(tenant);
      if (profile === null) throw new Error(tenant);
      const { deps, options } = healthInputs(await fleet.container(profile), sim.clock.nowMs());
      return checkHealth(deps, options);
    };
    const denied = await health(DENIED);
    expect(denied.status).toBe('failing');
    // Every endpoint the product reads answers 403 in that tenant (the opaque token names no roles to check).
    const endpoints = denied.checks.find((c) => c.name === 'endpoints');
    expect(endpoints?.status).toBe('failing');
    expect(endpoints?.detail).toMatch(/^7 of 7 endpoint\(s\) refused or failed: .*\(403\)/);
    expect((await health(HEALTHY)).status).not.toBe('failing');
    expect((await health(BROKEN)).status).not.toBe('failing');
  });

  it("no Graph request mixes tenants: each tenant's log holds only its own token's requests and its own objects", async () => {
    const brokenIds = await idsOf(BROKEN);
    const healthyIds = await idsOf(HEALTHY);
    expect([...healthyIds].filter((id) => brokenIds.has(id))).toEqual([]); // the two tenants share nothing
    for (const tenant of TENANTS) {
      const entries = sim.tenantById(tenant).requests();
      expect(entries.every((e) => e.tenant === tenant)).toBe(true);
    }
    // The healthy tenant's requests never name an object of the broken tenant's, nor the reverse.
    const named = (e: RequestLogEntry): string[] =>
      `${e.path} ${JSON.stringify(e.body ?? '')}`.match(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      ) ?? [];
    const foreign = (tenant: string, others: Set<string>, own: Set<string>) =>
      sim
        .tenantById(tenant)
        .requests()
        .flatMap(named)
        .map((id) => id.toLowerCase())
        .filter((id) => others.has(id) && !own.has(id));
    expect(foreign(HEALTHY, brokenIds, healthyIds)).toEqual([]);
    expect(foreign(BROKEN, healthyIds, brokenIds)).toEqual([]);
  });

  it("no record or claim mixes tenants: each tenant's own tables, holding only its own subjects", async () => {
    const service = TableServiceClient.fromConnectionString(azurite.connectionString, {
      allowInsecureConnection: true,
    });
    const names: string[] = [];
    for await (const t of service.listTables()) if (t.name?.startsWith(tablePrefix)) names.push(t.name);
    for (const tenant of TENANTS)
      expect(names).toEqual(expect.arrayContaining([`${tablePrefix}${tenant.replace(/-/g, '')}History`]));

    const brokenIds = await idsOf(BROKEN);
    const healthyIds = await idsOf(HEALTHY);
    const subjectsOf = async (tenant: string) =>
      new Set((await historyOf(tenant)).map((r) => r.subjectKey).filter((k) => k !== 'tenant'));
    for (const key of await subjectsOf(HEALTHY)) expect(brokenIds.has(key) && !healthyIds.has(key), key).toBe(false);
    for (const key of await subjectsOf(BROKEN)) expect(healthyIds.has(key) && !brokenIds.has(key), key).toBe(false);

    // Claims: the broken tenant's remediations claimed in its own table; none in the others.
    const claimsOf = async (tenant: string) => {
      const profile = fleet.find(tenant);
      if (profile === null) throw new Error(tenant);
      const claims = (await fleet.container(profile)).stores.claims;
      const keys = (await historyOf(tenant)).map((r) => r.idempotencyKey).filter((k): k is string => k !== null);
      return Promise.all([...new Set(keys)].map(async (k) => claims.get(k.split(':')[1] ?? '', k)));
    };
    const brokenClaims = (await claimsOf(BROKEN)).filter((c) => c !== null);
    expect(brokenClaims.length).toBeGreaterThanOrEqual(3);
    // Every idempotency key the broken tenant's worker used starts with its own tenant.
    expect(brokenClaims.every((c) => c?.key.startsWith(`${BROKEN}:`))).toBe(true);
    expect((await claimsOf(HEALTHY)).filter((c) => c !== null)).toEqual([]);
  });

  it('no alert mixes tenants: each arrives at its own webhook, signed with its own secret, naming only its tenant', () => {
    expect(received.length).toBeGreaterThan(0);
    // (An aborted run sends no alert, for one tenant or many: the failed invocation and the health check say it.)
    expect(new Set(received.map((r) => r.tenant))).toEqual(new Set([BROKEN]));
    for (const r of received) {
      // Verifying with the tenant's own secret proves which channel configuration sent it.
      const event = new Webhook(secretOf(r.tenant)).verify(r.body, r.headers) as { tenant: string; tenantName: string };
      expect(event.tenant).toBe(r.tenant);
      expect(event.tenantName).toBe('Broken Ltd');
      for (const other of TENANTS.filter((t) => t !== r.tenant)) expect(r.body).not.toContain(other);
    }
    // The broken tenant is told about its remediations; nothing reached the healthy tenant's channel.
    expect(received.filter((r) => r.tenant === HEALTHY)).toEqual([]);
  });
});
