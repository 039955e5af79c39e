// A deployment serving four simulated tenants from one simulator (each its own token, data and tables, in memory
// stores of its own): the demo (enforce mode, so its full sweep proposes an approval), a healthy tenant, the demo
// with every Graph read denied (403), and the demo plus a device whose serial and names are markup. The compliance
// timer has run once, fanned out one run per tenant, as the host runs it. Shared by the HTTP and browser tests.
import { expect } from 'vitest';
import type { Timer } from '@azure/functions';

import { makeFleetTimerHandler } from '../../functions/tenant-jobs.js';
import { createMemoryStores } from '../../shared/adapters/inprocess/memory-stores.js';
import { silentLogger } from '../../shared/adapters/logging/loggers.js';
import { buildFleet, type Fleet } from '../../shared/composition/fleet.js';
import { loadDeployment, type TenantProfile } from '../../shared/config/index.js';
import type { Stores } from '../../shared/ports/index.js';
import { readScenarioFile } from '../../sim/scenario/load.js';
import { startSimulator, type ScenarioObject, type Simulator } from '../../sim/index.js';
import { DEMO_GROUP, DEMO_POLICY, DEMO_POLICY_ID, invocation } from './http-harness.js';

export const DEMO = 'a1000000-0000-4000-8000-000000000001';
export const HEALTHY = 'b2000000-0000-4000-8000-000000000002';
export const DENIED = 'c3000000-0000-4000-8000-000000000003';
export const HOSTILE = 'd4000000-0000-4000-8000-000000000004';

export const SIGNING_KEY = 'approval-signing-key-for-tests-0123456789';

export const XSS_SERIAL = 'XSS"><img src=x onerror=alert(1)>';
export const XSS_NAME = '<script>alert(1)</script>';

/** The demo plus one blocked device whose serial and names are HTML. */
function markupScenario(): ScenarioObject {
  const demo = readScenarioFile('demo');
  const identities = demo.windowsAutopilotDeviceIdentities ?? [];
  const blocked = identities.find((i) => i.serialNumber === '9TQ4L83');
  if (!blocked) throw new Error('the demo lost its blocked device');
  return {
    ...demo,
    name: 'markup',
    windowsAutopilotDeviceIdentities: [
      ...identities,
      {
        ...blocked,
        id: 'ad000000-0000-4000-8000-0000000000f1',
        serialNumber: XSS_SERIAL,
        displayName: XSS_NAME,
        azureActiveDirectoryDeviceId: 'de000000-0000-4000-8000-0000000000f1',
        azureAdDeviceId: 'de000000-0000-4000-8000-0000000000f1',
        managedDeviceId: 'ed000000-0000-4000-8000-0000000000f1',
      },
    ],
  };
}

function timerAt(now: number): Timer {
  return {
    isPastDue: false,
    schedule: { adjustForDST: true },
    scheduleStatus: {
      last: new Date(now - 5 * 60_000).toISOString(),
      next: new Date(now + 5 * 60_000).toISOString(),
      lastUpdated: new Date(now).toISOString(),
    },
  };
}

export interface FleetHarness {
  readonly sim: Simulator;
  readonly fleet: Fleet;
  /** Each tenant's stores by its key ('deployment' = the deployment's own). */
  readonly stores: ReadonlyMap<string, Stores>;
  /** The Autopilot identities a simulated tenant holds (generated scenarios too). */
  identitiesOf(tenant: string): number;
  stop(): Promise<void>;
}

export async function startFleetHarness(): Promise<FleetHarness> {
  const stores = new Map<string, Stores>();
  const sim = await startSimulator({
    port: 0,
    // A second into a minute: the fan-out's one scheduled slot lasts the whole run.
    now: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000),
    tenants: [
      { tenantId: DEMO, scenario: 'demo' },
      { tenantId: HEALTHY, scenario: 'healthy' },
      { tenantId: DENIED, scenario: 'demo', denials: [{ path: '.' }] },
      { tenantId: HOSTILE, scenario: markupScenario() },
    ],
  });
  const groups = JSON.stringify([{ groupId: DEMO_GROUP, policyName: DEMO_POLICY, policyId: DEMO_POLICY_ID }]);
  const entry = (id: string, name: string, extra: Record<string, string> = {}) => ({
    id,
    name,
    settings: { GRAPH_TOKEN: sim.tenantById(id).token, DEVICE_PREP_GROUPS: groups, ...extra },
  });
  try {
    const deployment = loadDeployment({
      GRAPH_BASE_URL: sim.url,
      GRAPH_AUTH: 'static-token',
      GRAPH_MAX_RETRIES: '0',
      TENANT_CONCURRENCY: '2',
      APPROVAL_SIGNING_KEY: SIGNING_KEY,
      APPROVAL_BASE_URL: 'https://apm.example.test',
      TENANTS: JSON.stringify([
        // Enforce mode: the full sweep proposes deregistering the demo's Attention-required device (an approval).
        entry(DEMO, 'Contoso', { REMEDIATION_MODE: 'enforce' }),
        entry(HEALTHY, 'Fabrikam'),
        entry(DENIED, 'Northwind (no consent)'),
        entry(HOSTILE, 'Woodgrove & Sons'),
      ]),
    });
    const fleet = await buildFleet(deployment, {
      logger: silentLogger,
      storesFor: (t: TenantProfile | null) => {
        const s = createMemoryStores();
        stores.set(t?.key ?? 'deployment', s);
        return s;
      },
      storageFallback: 'memory',
      tenantRuns: null,
      clock: { now: () => sim.clock.nowMs() },
      graph: { sleep: () => Promise.resolve() },
    });
    const { ctx } = invocation('complianceSweep');
    // The denied tenant's run aborts; the fan-out still runs the others, then the invocation fails naming it.
    await expect(
      makeFleetTimerHandler('compliance', () => Promise.resolve(fleet))(timerAt(sim.clock.nowMs()), ctx),
    ).rejects.toThrow(/^complianceSweep: 1 of 4 tenants failed \(c3000000-/);
    return {
      sim,
      fleet,
      stores,
      identitiesOf: (tenant) => sim.tenantById(tenant).snapshot().windowsAutopilotDeviceIdentities?.length ?? 0,
      stop: async () => {
        await fleet.dispose();
        await sim.stop();
      },
    };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}
