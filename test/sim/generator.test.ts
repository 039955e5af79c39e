/**
 * The generator: deterministic from the seed, exact plant counts, and — read back over Graph — every
 * planted device shows exactly the fields sim/README.md promises, and no unplanted device does.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { generateTenant } from '../../sim/generate/index.js';
import { generateSchema } from '../../sim/generate/spec.js';
import { all, call, get, obj, start, values, type Json } from './helpers.js';

const PLANT = {
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
  deviceprepMissingFromGroup: 50,
  deviceprepFailed: 9,
  pendingImports: 25,
};
const SPEC = { devices: 10_000, seed: 42, deviceprep: { devices: 200, ownerHasSp: false }, plant: PLANT };

describe('determinism', () => {
  const digest = (seed: number): string => {
    const g = generateTenant(generateSchema.parse({ ...SPEC, seed }), Date.UTC(2026, 0, 1));
    const h = createHash('sha256');
    for (let i = 0; i < g.identities.count; i++) h.update(JSON.stringify(g.identities.at(i)));
    for (let i = 0; i < g.devices.count; i++) h.update(JSON.stringify(g.devices.at(i) ?? null));
    for (let i = 0; i < g.managedDevices.count; i++) h.update(JSON.stringify(g.managedDevices.at(i) ?? null));
    h.update(JSON.stringify(g.events)).update(JSON.stringify(g.reportRows)).update(JSON.stringify(g.planted));
    return h.digest('hex');
  };

  test('the same seed and anchor give byte-identical tenants; another seed differs', () => {
    expect(digest(42)).toBe(digest(42));
    expect(digest(43)).not.toBe(digest(42));
  });

  test('serial numbers and device names are unique across 100,000 devices', () => {
    const g = generateTenant(generateSchema.parse({ devices: 100_000, seed: 1 }), Date.now());
    const serials = new Set<string>();
    const names = new Set<string>();
    for (let i = 0; i < g.identities.count; i++) {
      const id = g.identities.at(i);
      serials.add(String(id?.serialNumber));
      names.add(String(g.managedDevices.at(i)?.deviceName ?? id?.serialNumber));
    }
    expect(serials.size).toBe(100_000);
    expect(names.size).toBe(100_000);
  });

  test('plants that need more devices than exist are refused', () => {
    expect(() => generateTenant(generateSchema.parse({ devices: 10, plant: { stale: 11 } }), Date.now())).toThrow(
      /plants need 11/,
    );
  });
});

describe('exact plants at 10,000 devices, read back over Graph', () => {
  let sim: Simulator;
  let identities: Json[];
  let devices: Json[];
  let managed: Json[];
  let events: Json[];
  const now = Date.now();
  const ids = (kind: string): string[] => (sim.planted.items[kind] ?? []).map((i) => String(i.identityId)).sort();
  const sorted = (xs: unknown[]): string[] => xs.map(String).sort();

  beforeAll(async () => {
    sim = await start({ scenario: { generate: SPEC } });
    identities = (await all(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities')).items;
    devices = (await all(sim, '/v1.0/devices?$top=999')).items;
    managed = (await all(sim, '/v1.0/deviceManagement/managedDevices')).items;
    events = (await all(sim, '/beta/deviceManagement/autopilotEvents')).items;
  }, 120_000);
  afterAll(async () => {
    await sim.stop();
  });

  test('planted.counts equals what was asked for, plus the group-level plant', () => {
    expect(sim.planted.counts).toEqual({ ...PLANT, deviceprepOwnerMissing: 1 });
    expect(identities).toHaveLength(10_000);
    expect(devices).toHaveLength(10_000 + 200 - PLANT.orphanedNoEntra);
  });

  test('identity state plants', () => {
    const where = (f: (i: Json) => boolean): string[] => sorted(identities.filter(f).map((i) => i['id']));
    const blocked = (i: Json): boolean =>
      i['enrollmentState'] === 'blocked' && i['userlessEnrollmentStatus'] === 'blocked';
    expect(where((i) => blocked(i) && i['remediationState'] === 'noRemediationRequired')).toEqual(ids('blocked'));
    expect(where((i) => blocked(i) && i['remediationState'] === 'automaticRemediationRequired')).toEqual(
      ids('blockedFixPending'),
    );
    expect(where((i) => !blocked(i) && i['remediationState'] === 'automaticRemediationRequired')).toEqual(
      ids('fixPending'),
    );
    expect(where((i) => i['remediationState'] === 'manualRemediationRequired')).toEqual(ids('attentionRequired'));
    expect(where((i) => i['deploymentProfileAssignmentStatus'] === 'notAssigned')).toEqual(ids('notAssigned'));
    expect(where((i) => i['deploymentProfileAssignmentStatus'] === 'pending')).toEqual(ids('profilePending'));
    expect(where((i) => i['deploymentProfileAssignmentStatus'] === 'assignedOutOfSync')).toEqual(
      ids('profileOutOfSync'),
    );
    expect(where((i) => i['deploymentProfileAssignmentStatus'] === 'failed')).toEqual(ids('profileFailed'));
    const contacted = (i: Json): number => Date.parse(String(i['lastContactedDateTime']));
    expect(where((i) => contacted(i) > 0 && contacted(i) < now - 180 * 86_400_000)).toEqual(ids('stale'));
    expect(where((i) => i['enrollmentState'] === 'failed')).toEqual(ids('failedDeployments'));
  });

  test('orphaned records and noncompliant devices', () => {
    const entraIds = new Set(devices.map((d) => d['deviceId']));
    expect(
      sorted(identities.filter((i) => !entraIds.has(i['azureActiveDirectoryDeviceId'])).map((i) => i['id'])),
    ).toEqual(ids('orphanedNoEntra'));
    const noncompliant = new Set(
      managed.filter((m) => m['complianceState'] === 'noncompliant').map((m) => m['azureADDeviceId']),
    );
    expect(
      sorted(identities.filter((i) => noncompliant.has(i['azureActiveDirectoryDeviceId'])).map((i) => i['id'])),
    ).toEqual(ids('noncompliant'));
    expect(noncompliant.size).toBe(PLANT.noncompliant);
  });

  test('event plants', () => {
    const bySerial = new Map(identities.map((i) => [i['serialNumber'], String(i['id'])]));
    const where = (f: (e: Json) => boolean): string[] =>
      sorted(events.filter(f).map((e) => bySerial.get(e['deviceSerialNumber'])));
    const code = (e: Json): string =>
      typeof e['enrollmentFailureDetails'] === 'string' ? e['enrollmentFailureDetails'] : '';
    expect(where((e) => e['deploymentState'] === 'failure' && code(e).startsWith('0x80180014'))).toEqual(
      [...ids('blocked'), ...ids('blockedFixPending')].sort(),
    );
    expect(where((e) => e['deploymentState'] === 'failure' && !code(e).startsWith('0x80180014'))).toEqual(
      ids('failedDeployments'),
    );
    expect(
      events.filter((e) => e['deploymentState'] === 'failure').every((e) => /0x[0-9A-Fa-f]{8}/.test(code(e))),
    ).toBe(true);
    expect(
      where(
        (e) =>
          e['deploymentState'] === 'inProgress' &&
          Date.parse(String(e['deploymentStartDateTime'])) < now - 4 * 3_600_000,
      ),
    ).toEqual(ids('stuckInProgress'));
    expect(where((e) => e['deploymentState'] === 'successWithTimeout')).toEqual(ids('successWithTimeout'));
    expect(
      where(
        (e) =>
          e['enrollmentType'] === 'azureADJoinedWithWhiteGlove' &&
          e['deploymentState'] === 'success' &&
          Date.parse(String(e['deploymentEndDateTime'])) < now - 150 * 86_400_000,
      ),
    ).toEqual(ids('preprovisionedAging'));
  });

  test('device-preparation plants: registered devices, missing members, failed rows, missing owner', async () => {
    const policy = 'Contoso Windows 11 device preparation';
    const gid = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
    const members = new Set(
      (await all(sim, `/v1.0/groups/${gid}/members?$select=id&$top=999`)).items.map((m) => m['id']),
    );
    const dp = devices.filter((d) => d['enrollmentProfileName'] === policy);
    const ztd = (d: Json): boolean => (d['physicalIds'] as string[]).some((p) => p.startsWith('[ZTDID]'));
    expect(sorted(dp.filter(ztd).map((d) => d['id']))).toEqual(
      sorted((sim.planted.items['deviceprepRegistered'] ?? []).map((i) => i.entraObjectId)),
    );
    expect(sorted(dp.filter((d) => !members.has(d['id'])).map((d) => d['id']))).toEqual(
      sorted((sim.planted.items['deviceprepMissingFromGroup'] ?? []).map((i) => i.entraObjectId)),
    );
    const owners = values(await get(sim, `/v1.0/groups/${gid}/owners`));
    expect(owners.some((o) => o['appId'] === 'f1346770-5b25-470b-88bd-d5744ab7952c')).toBe(false);
    const sp = values(
      await get(
        sim,
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'")}`,
      ),
    );
    expect(sp).toHaveLength(1);
    const job = obj(
      (
        await call(sim, 'POST', '/beta/deviceManagement/reports/exportJobs', {
          reportName: 'AutopilotV2DeploymentStatus',
          format: 'json',
        })
      ).body,
    );
    expect(
      sim.tenant.state.reportRows
        .filter((r) => r.DeploymentStatus === 3)
        .map((r) => r.SerialNumber)
        .sort(),
    ).toEqual((sim.planted.items['deviceprepFailed'] ?? []).map((i) => i.serialNumber).sort());
    expect(job['status']).toBe('notStarted');
  });

  test('GET /_sim/planted serves the same plants', async () => {
    const r = (await (await fetch(`${sim.url}/_sim/planted`)).json()) as { counts: Record<string, number> };
    expect(r.counts).toEqual(sim.planted.counts);
  });
});
