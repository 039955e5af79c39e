/** v1.0 vs beta: beta-only resources, actions and properties, and `blocked` rendered as `unknown` on v1.0. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, get, obj, start, values } from './helpers.js';

let sim: Simulator;
const BLOCKED = 'ad000000-0000-4000-8000-000000000008';
beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

const BETA_ONLY_IDENTITY = [
  'deploymentProfileAssignmentStatus',
  'deploymentProfileAssignmentDetailedStatus',
  'deploymentProfileAssignedDateTime',
  'remediationState',
  'remediationStateLastModifiedDateTime',
  'userlessEnrollmentStatus',
  'azureAdDeviceId',
];

test('beta identities carry the beta-only fields, v1.0 identities do not', async () => {
  const beta = obj((await get(sim, `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${BLOCKED}`)).body);
  const v1 = obj((await get(sim, `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${BLOCKED}`)).body);
  for (const p of BETA_ONLY_IDENTITY) {
    expect(beta).toHaveProperty(p);
    expect(v1).not.toHaveProperty(p);
  }
  expect(beta['enrollmentState']).toBe('blocked');
  expect(v1['enrollmentState']).toBe('unknown');
});

test("on v1.0 a blocked device matches enrollmentState eq 'unknown' and 'blocked' is not an enum member", async () => {
  const unknown = await get(
    sim,
    `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter=${encodeURIComponent("enrollmentState eq 'unknown'")}`,
  );
  expect(values(unknown).map((i) => i['id'])).toContain(BLOCKED);
  const blocked = await get(
    sim,
    `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter=${encodeURIComponent("enrollmentState eq 'blocked'")}`,
  );
  expect(blocked.status).toBe(400);
  const beta = await get(
    sim,
    `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$select=userlessEnrollmentStatus`,
  );
  expect(beta.status).toBe(400);
});

test('settings, sync, autopilotEvents and allowNextEnrollment exist only in beta', async () => {
  for (const [method, path] of [
    ['GET', '/deviceManagement/windowsAutopilotSettings'],
    ['POST', '/deviceManagement/windowsAutopilotSettings/sync'],
    ['GET', '/deviceManagement/autopilotEvents'],
    ['POST', `/deviceManagement/windowsAutopilotDeviceIdentities/${BLOCKED}/allowNextEnrollment`],
  ] as const) {
    const r = await call(sim, method, `/v1.0${path}`);
    expect(r.status, `${method} v1.0${path}`).toBe(400);
    expect(String(obj(obj(r.body)['error'])['message'])).toMatch(/Resource not found for the segment/);
  }
  expect((await get(sim, '/beta/deviceManagement/windowsAutopilotSettings')).status).toBe(200);
  expect((await get(sim, '/beta/deviceManagement/autopilotEvents')).status).toBe(200);
});

test('managedDevice.autopilotEnrolled is beta-only; export jobs have `search` only in beta', async () => {
  const v1 = values(await get(sim, '/v1.0/deviceManagement/managedDevices?$top=1'))[0] ?? {};
  const beta = values(await get(sim, '/beta/deviceManagement/managedDevices?$top=1'))[0] ?? {};
  expect(v1).not.toHaveProperty('autopilotEnrolled');
  expect(beta).toHaveProperty('autopilotEnrolled');
  const jobV1 = obj(
    (
      await call(sim, 'POST', '/v1.0/deviceManagement/reports/exportJobs', {
        reportName: 'AutopilotV2DeploymentStatus',
        format: 'json',
      })
    ).body,
  );
  const jobBeta = obj(
    (
      await call(sim, 'POST', '/beta/deviceManagement/reports/exportJobs', {
        reportName: 'AutopilotV2DeploymentStatus',
        format: 'json',
      })
    ).body,
  );
  expect(jobV1).not.toHaveProperty('search');
  expect(jobBeta).toHaveProperty('search');
});

test('groups, devices and service principals are served on both versions', async () => {
  for (const v of ['v1.0', 'beta']) {
    expect((await get(sim, `/${v}/groups/9a000000-0000-4000-8000-000000000001`)).status).toBe(200);
    expect((await get(sim, `/${v}/devices?$top=1`)).status).toBe(200);
    expect((await get(sim, `/${v}/servicePrincipals`)).status).toBe(200);
  }
});
