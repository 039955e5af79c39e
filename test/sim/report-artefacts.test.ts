/**
 * Issue 14 item 14: the simulator plays the report artefacts the product must cope with.
 *  - Microsoft Learn "Windows Autopilot - known issues" › "Windows Autopilot report incorrectly shows failure even
 *    though the deployment was successful" (https://learn.microsoft.com/autopilot/known-issues): In progress becomes
 *    Failed after 4 hours without a status — a row with no details, no end and PT0S durations.
 *  - The device-preparation detail exports (Apps / Scripts of "Windows Autopilot device preparation reporting and
 *    monitoring", https://learn.microsoft.com/autopilot/device-preparation/reporting-monitoring), with the
 *    `_loc` text columns of "Export Intune reports using Graph APIs" › "Localization behavior".
 *  - Import records (importedWindowsAutopilotDeviceIdentity) that outlive the device's deregistration.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, get, obj, start, values, type Json } from './helpers.js';

const HOUR = 3_600_000;
const EVENTS = '/beta/deviceManagement/autopilotEvents';
const JOBS = '/beta/deviceManagement/reports/exportJobs';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ scenario: 'demo', exportJob: { pollsUntilComplete: 1 } });
});
afterAll(async () => {
  await sim.stop();
});

const eventById = async (id: string): Promise<Json> => obj((await get(sim, `${EVENTS}/${id}`)).body);

function inProgress(id: string, startedHoursAgo: number): Parameters<Simulator['tenant']['addEvent']>[0] {
  const startAt = `now-${startedHoursAgo * 60}m`;
  return {
    id,
    deviceId: 'ed000000-0000-4000-8000-0000000001aa',
    deviceSerialNumber: `SN-${id.slice(-4)}`,
    eventDateTime: startAt,
    deploymentStartDateTime: startAt,
    enrollmentStartDateTime: startAt,
    deploymentState: 'inProgress',
    deviceSetupStatus: 'inProgress',
    accountSetupStatus: 'notAttempted',
    enrollmentType: 'azureADJoinedWithAutopilotProfile',
  };
}

describe('the deployment report fails In progress rows after 4 hours', () => {
  test.each([
    {
      name: 'row in progress 1 h, clock +3 h 1 min',
      id: 'e7000000-0000-4000-8000-00000000a001',
      started: 1,
      advance: 3 * HOUR + 60_000,
      failed: true,
    },
    {
      name: 'row in progress 1 h, clock +2 h',
      id: 'e7000000-0000-4000-8000-00000000a002',
      started: 1,
      advance: 2 * HOUR,
      failed: false,
    },
  ])('$name → failed: $failed', async ({ id, started, advance, failed }) => {
    sim.tenant.addEvent(inProgress(id, started));
    expect((await eventById(id))['deploymentState']).toBe('inProgress');
    sim.clock.advance(advance);
    const e = await eventById(id);
    if (!failed) {
      expect(e['deploymentState']).toBe('inProgress');
      return;
    }
    expect(e).toMatchObject({
      deploymentState: 'failure',
      deploymentTotalDuration: 'PT0S',
      deploymentDuration: 'PT0S',
      deploymentEndDateTime: '0001-01-01T00:00:00Z',
      enrollmentFailureDetails: null,
      // The device sent nothing, so its phases are where they were.
      deviceSetupStatus: 'inProgress',
    });
  });

  test('a row that finished before its mark is left alone, and a row that enters past its mark is served as written', async () => {
    const done = 'e7000000-0000-4000-8000-00000000a003';
    sim.tenant.addEvent(inProgress(done, 1));
    sim.tenant.addEvent({ ...inProgress(done, 1), deploymentState: 'success', deploymentEndDateTime: 'now' });
    const authored = 'e7000000-0000-4000-8000-00000000a004';
    sim.tenant.addEvent(inProgress(authored, 6));
    sim.clock.advance(5 * HOUR);
    expect((await eventById(done))['deploymentState']).toBe('success');
    expect((await eventById(authored))['deploymentState']).toBe('inProgress');
  });

  test('the flipped row is what a filtered list returns too', async () => {
    const id = 'e7000000-0000-4000-8000-00000000a005';
    sim.tenant.addEvent(inProgress(id, 3.5));
    sim.clock.advance(HOUR);
    const failed = values(await get(sim, `${EVENTS}?$filter=${encodeURIComponent("deploymentState eq 'failure'")}`));
    expect(failed.map((e) => e['id'])).toContain(id);
  });
});

async function exportRows(body: Json): Promise<Json[]> {
  const created = await call(sim, 'POST', JOBS, body);
  expect(created.status).toBe(201);
  let job = obj(created.body);
  for (let i = 0; i < 5 && job['status'] !== 'completed'; i++)
    job = obj((await get(sim, `${JOBS}/${String(job['id'])}`)).body);
  const zip = unzipSync(new Uint8Array(await (await fetch(String(job['url']))).arrayBuffer()));
  return (JSON.parse(strFromU8(Object.values(zip)[0] ?? new Uint8Array())) as { values: Json[] }).values;
}

describe('device-preparation detail exports', () => {
  beforeAll(() => {
    sim.tenant.addReportAppRow({
      DeviceId: 'ed-1',
      ApplicationId: 'app-1',
      ApplicationName: 'Agent',
      AppType: 'Win32LobApp',
      PolicyInstallStatus: 'Skipped',
    });
    sim.tenant.addReportAppRow({
      DeviceId: 'ed-1',
      ApplicationId: 'app-2',
      ApplicationName: 'Company Portal',
      AppType: 'WinGetApp',
      PolicyInstallStatus: 'Installed',
    });
    sim.tenant.addReportScriptRow({
      DeviceId: 'ed-1',
      PolicyId: 'ps-1',
      DisplayName: 'Set-Region.ps1',
      PolicyInstallStatus: 'In progress',
    });
  });

  test('apps: the selected columns, the status code and its _loc text', async () => {
    const rows = await exportRows({
      reportName: 'AutopilotV2DeploymentStatusDetailedAppInfo',
      format: 'json',
      select: ['DeviceId', 'ApplicationName', 'AppType', 'PolicyInstallStatus'],
    });
    expect(rows).toEqual([
      {
        DeviceId: 'ed-1',
        ApplicationName: 'Agent',
        AppType: 'Win32LobApp',
        PolicyInstallStatus: '4',
        PolicyInstallStatus_loc: 'Skipped',
      },
      {
        DeviceId: 'ed-1',
        ApplicationName: 'Company Portal',
        AppType: 'WinGetApp',
        PolicyInstallStatus: '2',
        PolicyInstallStatus_loc: 'Installed',
      },
    ]);
  });

  test('scripts, with localized values replacing the codes', async () => {
    const rows = await exportRows({
      reportName: 'AutopilotV2DeploymentStatusDetailedScriptInfo',
      format: 'json',
      localizationType: 'replaceLocalizableValues',
    });
    expect(rows).toEqual([
      { DeviceId: 'ed-1', PolicyId: 'ps-1', DisplayName: 'Set-Region.ps1', PolicyInstallStatus: 'In progress' },
    ]);
  });

  test('an unknown column of a detail report is a 400', async () => {
    expect(
      (
        await call(sim, 'POST', JOBS, {
          reportName: 'AutopilotV2DeploymentStatusDetailedAppInfo',
          format: 'json',
          select: ['SerialNumber'],
        })
      ).status,
    ).toBe(400);
  });
});

describe('import records outlive the device', () => {
  test('deleting the Autopilot record (deregistration) leaves its complete import record listed', async () => {
    const serial = '5CG3460DEF';
    sim.tenant.setSettings({ lastManualSyncTriggerDateTime: 'now-1h' });
    expect((await call(sim, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    sim.clock.advance(60_000);
    const identity = values(
      await get(
        sim,
        `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=${encodeURIComponent(`contains(serialNumber,'${serial}')`)}`,
      ),
    )[0];
    expect(identity).toBeDefined();
    expect(sim.tenant.removeIdentity(String(identity?.['id']))).toBe(true);
    const records = values(
      await get(
        sim,
        `/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities?$filter=${encodeURIComponent(`serialNumber eq '${serial}'`)}`,
      ),
    );
    expect(records).toHaveLength(1);
    expect(obj(records[0]?.['state'])['deviceImportStatus']).toBe('complete');
    expect(
      values(
        await get(
          sim,
          `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=${encodeURIComponent(`contains(serialNumber,'${serial}')`)}`,
        ),
      ),
    ).toEqual([]);
  });
});
