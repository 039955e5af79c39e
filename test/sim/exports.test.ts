/** Report export jobs: create → poll → completed → download a real zip with the documented layout. */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, get, obj, start } from './helpers.js';

let sim: Simulator;
const JOBS = '/v1.0/deviceManagement/reports/exportJobs';
beforeAll(async () => {
  sim = await start({ scenario: 'demo', exportJob: { pollsUntilComplete: 3 } });
});
afterAll(async () => {
  await sim.stop();
});

async function runJob(body: Record<string, unknown>): Promise<{ job: Record<string, unknown>; polls: string[] }> {
  const created = await call(sim, 'POST', JOBS, body);
  expect(created.status).toBe(201);
  const job = obj(created.body);
  expect(job['status']).toBe('notStarted');
  expect(String(job['id'])).toMatch(/^AutopilotV2DeploymentStatus_[0-9a-f-]{36}$/);
  const polls: string[] = [];
  for (let i = 0; i < 10; i++) {
    const p = obj((await get(sim, `${JOBS}/${String(job['id'])}`)).body);
    polls.push(String(p['status']));
    if (p['status'] === 'completed') return { job: p, polls };
  }
  throw new Error('job never completed');
}

async function download(url: string): Promise<Record<string, Uint8Array>> {
  const res = await fetch(url); // a SAS URL: no bearer token
  expect(res.status).toBe(200);
  return unzipSync(new Uint8Array(await res.arrayBuffer()));
}

test('a JSON export completes after the configured polls and downloads as a one-file zip of {"values":[...]}', async () => {
  const { job, polls } = await runJob({
    reportName: 'AutopilotV2DeploymentStatus',
    format: 'json',
    localizationType: 'LocalizedValuesAsAdditionalColumn',
  });
  expect(polls).toEqual(['inProgress', 'inProgress', 'completed']);
  expect(job['localizationType']).toBe('localizedValuesAsAdditionalColumn');
  expect(Date.parse(String(job['expirationDateTime']))).toBeGreaterThan(sim.clock.nowMs());
  const files = await download(String(job['url']));
  const names = Object.keys(files);
  expect(names).toEqual([`${String(job['id'])}.json`]);
  const parsed = JSON.parse(strFromU8(files[names[0] ?? ''] ?? new Uint8Array())) as {
    values: Record<string, string>[];
  };
  expect(parsed.values).toHaveLength(7);
  const failed = parsed.values.find((r) => r['SerialNumber'] === 'PF4ZX4NB');
  expect(failed).toMatchObject({
    DeploymentStatus: '3',
    ResultCode: '-2147023436',
    CurrentProvisioningPhase: '2',
    PolicyName: 'Contoso Win11 device preparation',
  });
  expect(Object.keys(failed ?? {})).toEqual([
    'DeviceId',
    'DeviceName',
    'SerialNumber',
    'UPN',
    'EnrollmentTimeInUtc',
    'CurrentProvisioningPhase',
    'DeploymentStatus',
    'DeploymentDurationTimeInSeconds',
    'Phase',
    'ResultCode',
    'PolicyName',
  ]);
  expect(failed?.['EnrollmentTimeInUtc']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{7}$/);
});

test('select limits the columns; csv is a BOM-prefixed CSV', async () => {
  const { job } = await runJob({
    reportName: 'AutopilotV2DeploymentStatus',
    format: 'csv',
    select: ['DeviceName', 'DeploymentStatus'],
  });
  const files = await download(String(job['url']));
  const bytes = Object.values(files)[0] ?? new Uint8Array();
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = strFromU8(bytes.slice(3));
  expect(text.startsWith('DeviceName,DeploymentStatus\r\n')).toBe(true);
  expect(text.trim().split('\r\n')).toHaveLength(8);
});

test('the download URL needs its signature; unknown reports and columns are 400; unknown job 404', async () => {
  const { job } = await runJob({ reportName: 'AutopilotV2DeploymentStatus', format: 'json' });
  const url = new URL(String(job['url']));
  url.searchParams.set('sig', 'forged');
  expect((await fetch(url)).status).toBe(403);
  expect((await call(sim, 'POST', JOBS, { reportName: 'NoSuchReport', format: 'json' })).status).toBe(400);
  expect(
    (await call(sim, 'POST', JOBS, { reportName: 'AutopilotV2DeploymentStatus', format: 'json', select: ['Nope'] }))
      .status,
  ).toBe(400);
  expect((await get(sim, `${JOBS}/AutopilotV2DeploymentStatus_00000000-0000-0000-0000-000000000000`)).status).toBe(404);
});

test('the export reflects rows added by a test and expires after an hour', async () => {
  sim.tenant.addReportRow({
    DeviceId: 'ed000000-0000-4000-8000-0000000001ff',
    DeviceName: 'DESKTOP-NEW0001',
    SerialNumber: 'NEW0001',
    UPN: 'x@contoso.com',
    EnrollmentTimeInUtc: 'now-5m',
    DeploymentStatus: 1,
    PolicyName: 'Contoso Win11 device preparation',
  });
  const { job } = await runJob({ reportName: 'AutopilotV2DeploymentStatus', format: 'json' });
  const files = await download(String(job['url']));
  const parsed = JSON.parse(strFromU8(Object.values(files)[0] ?? new Uint8Array())) as { values: unknown[] };
  expect(parsed.values).toHaveLength(8);
  sim.clock.advance(61 * 60_000);
  expect((await fetch(String(job['url']))).status).toBe(403);
});

test('the other Autopilot report names are known but export no rows', async () => {
  const created = obj(
    (await call(sim, 'POST', JOBS, { reportName: 'AutopilotV1DeploymentStatus', format: 'json' })).body,
  );
  expect(created['reportName']).toBe('AutopilotV1DeploymentStatus');
});
