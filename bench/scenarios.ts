// Generated simulator tenants for the benchmark (sim/README.md, "Generator and plants"). One tenant shape per
// size: the plant mix of the bundled `large` scenario (10,000 devices), scaled linearly with the size, so every
// detector has work in proportion. The burst tenant is the same shape plus 1,000 device-prep devices missing
// from their group.

import type { ScenarioObject } from '../sim/index.js';

export const SEED = 42;
export const DEVICEPREP_GROUP_ID = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
export const DEVICEPREP_POLICY = 'Contoso Windows 11 device preparation';
/** The generator's default policy id (sim/generate/spec.ts): its enrollment-time device group is DEVICEPREP_GROUP_ID. */
export const DEVICEPREP_POLICY_ID = '6e2b4f10-3c7d-4e8a-9b5c-1d2e3f4a5b6c';
export const BURST_MISSING = 1_000;

/** Plants of `sim/scenarios/large.json` (10,000 devices); scaled by size / 10,000. */
const LARGE_PLANTS: Readonly<Record<string, number>> = {
  blocked: 40,
  blockedFixPending: 5,
  fixPending: 20,
  attentionRequired: 10,
  notAssigned: 300,
  profilePending: 60,
  profileOutOfSync: 45,
  profileFailed: 15,
  stale: 200,
  orphanedNoEntra: 20,
  noncompliant: 150,
  failedDeployments: 30,
  stuckInProgress: 12,
  successWithTimeout: 18,
  preprovisionedAging: 8,
  deviceprepRegistered: 6,
  deviceprepFailed: 9,
};

export interface TenantShape {
  readonly devices: number;
  /** Device-preparation devices (the generator's default: 2 % of `devices`). */
  readonly deviceprepDevices: number;
  readonly plants: Readonly<Record<string, number>>;
}

export function readShape(devices: number): TenantShape {
  const scale = devices / 10_000;
  const plants = Object.fromEntries(
    Object.entries(LARGE_PLANTS).map(([k, n]) => [k, Math.max(1, Math.round(n * scale))]),
  );
  return { devices, deviceprepDevices: Math.round(devices * 0.02), plants };
}

/**
 * The burst tenant needs 1,000 device-prep devices that are missing from the group, so it has at least
 * 2,000 device-prep devices (1,000 members stay in the group) whatever the size.
 */
export function burstShape(devices: number): TenantShape {
  const base = readShape(devices);
  const deviceprepDevices = Math.max(base.deviceprepDevices, 2 * BURST_MISSING);
  return { devices, deviceprepDevices, plants: { ...base.plants, deviceprepMissingFromGroup: BURST_MISSING } };
}

export function scenarioFor(name: string, shape: TenantShape): ScenarioObject {
  return {
    name,
    description: `benchmark tenant: ${shape.devices} Autopilot devices, ${shape.deviceprepDevices} device-prep devices`,
    windowsAutopilotSettings: {
      lastManualSyncTriggerDateTime: 'now-3h',
      lastSyncDateTime: 'now-3h+30s',
      syncStatus: 'completed',
    },
    generate: {
      devices: shape.devices,
      seed: SEED,
      deviceprep: {
        devices: shape.deviceprepDevices,
        groupId: DEVICEPREP_GROUP_ID,
        policyName: DEVICEPREP_POLICY,
        ownerHasSp: true,
        spExists: true,
      },
      plant: shape.plants,
    },
  };
}

/** The app's configuration against the bench's simulator, as the Functions host would read it; `extra` overrides. */
export function benchEnv(simUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GRAPH_BASE_URL: simUrl,
    GRAPH_TOKEN: 'sim-token',
    TENANT_NAME: 'bench',
    DEVICE_PREP_GROUPS: JSON.stringify([
      { groupId: DEVICEPREP_GROUP_ID, policyName: DEVICEPREP_POLICY, policyId: DEVICEPREP_POLICY_ID },
    ]),
    REMEDIATION_MODE: 'enforce',
    // A 1,000-device burst must be allowed to run (the defaults, 50 devices / 10 %, would drop it to plan).
    BLAST_RADIUS_MAX_DEVICES: '100000',
    BLAST_RADIUS_MAX_PERCENT: '100',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}
