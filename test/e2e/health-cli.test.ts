import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { GRAPH_PERMISSIONS } from '../../shared/core/permissions/index.js';
import { SIM_TENANT_ID } from '../../sim/auth/app-roles.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { runCli } from './cli-process.js';

// `autopilot-medic health` as a process against an external simulator that manages application roles (its token
// is a JWT with `roles` and `tid`, and a call without its role answers 403, as Graph does) and Azurite. Issue 15:
// every section prints; a permission removed in the simulator is named and the run exits 1; nothing is written.

const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
const DEMO_POLICY_ID = '7a000000-0000-4000-8000-000000000001';
const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const SECTIONS = [
  'Credential:',
  'Storage tables:',
  'Graph permissions:',
  'Graph endpoints:',
  'Device-preparation groups:',
  'Schedules:',
];

let azurite: { connectionString: string; stop(): Promise<void> };
let sim: Simulator | null = null;
beforeAll(async () => {
  azurite = await withAzurite();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});
afterEach(async () => {
  await sim?.stop();
  sim = null;
});

async function graph(s: Simulator, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The demo's group lacks its Provisioning Client owner (a planted finding): set it, so the group is ready. */
async function giveGroupItsOwner(s: Simulator): Promise<void> {
  const sps = (await graph(s, 'GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`)).value as {
    id: string;
  }[];
  await graph(s, 'POST', `/v1.0/groups/${DEMO_GROUP}/owners/$ref`, {
    '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${sps[0]?.id ?? ''}`,
  });
}

const envFor = (s: Simulator): Record<string, string> => ({
  GRAPH_BASE_URL: s.url,
  GRAPH_TOKEN: s.token,
  STORAGE_CONNECTION_STRING: azurite.connectionString,
  TABLE_PREFIX: 'e2ehealth',
  TENANT_NAME: 'e2e',
  REMEDIATION_MODE: 'enforce',
  DEVICE_PREP_GROUPS: JSON.stringify([
    { groupId: DEMO_GROUP, policyName: 'Contoso Win11 device preparation', policyId: DEMO_POLICY_ID },
  ]),
});

describe('autopilot-medic health', () => {
  it('full grant and a ready group: every section, every permission present, exit 0, nothing written', async () => {
    sim = await startSimulator({ scenario: 'demo', port: 0, roles: 'full' });
    await giveGroupItsOwner(sim);
    const before = sim.requests().length;
    const run = await runCli(['health'], envFor(sim));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const section of SECTIONS) expect(run.stdout).toContain(section);
    expect(run.stdout).toContain(`token tenant: ${SIM_TENANT_ID}`);
    for (const p of GRAPH_PERMISSIONS) expect(run.stdout).toContain(`present  ${p.permission}`);
    expect(run.stdout).not.toContain('MISSING');
    expect(run.stdout).toMatch(/POLL_SCHEDULE "0 \*\/5 \* \* \* \*" \(poll\), next \(UTC\): \S+Z, \S+Z, \S+Z/);
    expect(run.stdout).toContain('ok  policy targets it');
    expect(run.stdout).toContain('ok  Provisioning Client owner');
    expect(run.stdout).toMatch(/ok {6}e2ehealthHistory/);
    expect(sim.requests(before).filter((r) => r.kind === 'write')).toEqual([]);
  }, 120_000);

  it('a permission removed in the tenant: named, its endpoint refused, exit 1', async () => {
    sim = await startSimulator({ scenario: 'demo', port: 0, roles: 'full' });
    await giveGroupItsOwner(sim);
    sim.revokeRole('Application.Read.All');
    const run = await runCli(['health'], envFor(sim));
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('MISSING  Application.Read.All');
    expect(run.stdout).toMatch(
      /Graph permissions\s+FAILING\s+polls and sweeps abort: missing read permissions Application\.Read\.All/,
    );
    expect(run.stdout).toMatch(/denied\s+GET \/v1\.0\/servicePrincipals/);
    const json = await runCli(['health', '--json'], envFor(sim));
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { status: string; checks: { name: string; status: string }[] };
    expect(report.status).toBe('failing');
    expect(report.checks.find((c) => c.name === 'permissions')?.status).toBe('failing');
  }, 120_000);
});
