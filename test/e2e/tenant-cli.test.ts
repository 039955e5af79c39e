import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { ACTING } from '../support/hostile-scenario.js';
import { runCli } from './cli-process.js';

// `--tenant` on the CLI of a many-tenant deployment (TENANTS), as processes against one simulator hosting three
// tenants and Azurite: `compliance`, `history` and `device` run against the named tenant's configuration and its own
// tables, never another's; a missing or unknown `--tenant` is a usage error (exit 2) listing the configured tenants,
// their names escaped for the terminal; without TENANTS, `--tenant` takes only the one configured tenant.

const DEMO = 'a1000000-0000-4000-8000-000000000001';
const HEALTHY = 'b2000000-0000-4000-8000-000000000002';
const DENIED = 'c3000000-0000-4000-8000-000000000003';
const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
/** The demo's blocked device (sim/scenarios/demo.json). */
const BLOCKED = '9TQ4L83';
/** A display name TENANTS accepts (no markup, no control character) that would still reorder a terminal line. */
// (A display name with direction controls is refused by TENANTS itself: test/unit/config/tenants.test.ts.)
const RLO_NAME = 'Fabrikam';

let sim: Simulator;
let azurite: { connectionString: string; stop(): Promise<void> };
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await withAzurite();
  sim = await startSimulator({
    port: 0,
    tenants: [
      { tenantId: DEMO, scenario: 'demo' },
      { tenantId: HEALTHY, scenario: 'healthy' },
      { tenantId: DENIED, scenario: 'demo', denials: [{ path: '.' }] },
    ],
  });
  const groups = JSON.stringify([
    {
      groupId: DEMO_GROUP,
      policyName: 'Contoso Win11 device preparation',
      policyId: '7a000000-0000-4000-8000-000000000001',
    },
  ]);
  const entry = (id: string, name: string) => ({
    id,
    name,
    settings: { GRAPH_TOKEN: sim.tenantById(id).token, DEVICE_PREP_GROUPS: groups },
  });
  env = {
    GRAPH_BASE_URL: sim.url,
    GRAPH_AUTH: 'static-token',
    GRAPH_MAX_RETRIES: '0',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'e2etenants',
    TENANTS: JSON.stringify([entry(DEMO, 'Contoso'), entry(HEALTHY, RLO_NAME), entry(DENIED, 'Northwind')]),
  };
  const demo = await runCli(['compliance', '--tenant', DEMO], env);
  expect(demo.code, demo.stderr).toBe(0);
  const healthy = await runCli(['compliance', '--tenant', HEALTHY.toUpperCase(), '--json'], env);
  expect(healthy.code, healthy.stderr).toBe(0);
  expect(JSON.parse(healthy.stdout)).toMatchObject({ tenant: HEALTHY });
}, 240_000);

afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

describe('--tenant with TENANTS (processes, simulator, Azurite)', () => {
  it('history, device and compliance require it: exit 2 listing the tenants, names escaped', async () => {
    for (const args of [['history'], ['device', BLOCKED], ['compliance']]) {
      const run = await runCli(args, env);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('--tenant is required');
      for (const id of [DEMO, HEALTHY, DENIED]) expect(run.stderr).toContain(id);
      expect(run.stderr).toContain('Contoso');
      expect(run.stderr).not.toMatch(ACTING);
      expect(run.stderr).toContain('Fabrikam');
    }
  });

  it('refuses a tenant TENANTS does not list, without quoting it', async () => {
    const run = await runCli(['history', '--tenant', 'e5000000-0000-4000-8000-00000000beef'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no tenant in TENANTS has this id');
    expect(run.stderr).not.toContain('beef');
    expect(run.stderr).toContain(DEMO);
  });

  it("history and device read the named tenant's tables only", async () => {
    const demo = await runCli(['history', '--tenant', DEMO, '--serial', BLOCKED, '--json'], env);
    expect(demo.code, demo.stderr).toBe(0);
    const demoRows = demo.stdout.trim().split('\n').filter(Boolean);
    expect(demoRows.length).toBeGreaterThan(0);
    // The healthy tenant has no such device, and the demo tenant's records are not in its tables.
    const healthy = await runCli(['history', '--tenant', HEALTHY, '--serial', BLOCKED, '--json'], env);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout.trim()).toBe('');

    const found = await runCli(['device', BLOCKED, '--tenant', DEMO, '--json'], env);
    expect(found.code, found.stderr).toBe(0);
    const view = JSON.parse(found.stdout) as { serialNumber: string; openFindings: unknown[] };
    expect(view.serialNumber).toBe(BLOCKED);
    expect(view.openFindings.length).toBeGreaterThan(0);
    const elsewhere = await runCli(['device', BLOCKED, '--tenant', HEALTHY], env);
    expect(elsewhere.code).toBe(1);
  });

  it("compliance against a tenant that refuses access aborts that tenant's run only", async () => {
    const run = await runCli(['compliance', '--tenant', DENIED], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/403|permission/i);
  });

  it('the embedded default (no Graph configured) is single-tenant: TENANTS is a usage error', async () => {
    const run = await runCli(['compliance', '--tenant', DEMO], { TENANTS: env.TENANTS ?? '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('embedded default');
  });
});

describe('--tenant without TENANTS', () => {
  it('takes only the configured TENANT_NAME (case-insensitively)', async () => {
    const single = {
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: 'e2esingle',
      TENANT_NAME: 'contoso',
    };
    const ok = await runCli(['history', '--tenant', 'Contoso'], single);
    expect(ok.code, ok.stderr).toBe(0);
    const other = await runCli(['history', '--tenant', 'fabrikam'], single);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('serves one tenant, contoso');
    const none = await runCli(['history'], single);
    expect(none.code, none.stderr).toBe(0);
  });
});
