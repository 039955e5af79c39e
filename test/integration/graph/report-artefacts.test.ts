import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite } from '../../support/harness.js';

// Issue 14 items 9, 13 and 14 end to end: the simulator plays the report artefacts (4-hour automatic failure with
// PT0S durations; the app and script detail exports) over real HTTP, and the product reads them the documented way.
//  - Microsoft Learn "Windows Autopilot - known issues" › "Windows Autopilot report incorrectly shows failure even
//    though the deployment was successful" (https://learn.microsoft.com/autopilot/known-issues);
//  - "Windows Autopilot device preparation reporting and monitoring" › Apps / Scripts and "Windows Autopilot device
//    preparation - known issues" › "Device is stuck at 100% during the out-of-box experience (OOBE)"
//    (https://learn.microsoft.com/autopilot/device-preparation/).

const HOUR = 3_600_000;

describe('report artefacts, simulator → product (demo scenario, full sweep)', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('reads an automatic 4-hour failure as "no result", a skipped app, and a deployment stuck at 100%', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      // A user-driven deployment that never reports: the device has no Intune record.
      h.sim.tenant.addEvent({
        id: 'e7000000-0000-4000-8000-00000000b001',
        deviceSerialNumber: 'AUTOFAIL01',
        eventDateTime: 'now-1h',
        deploymentStartDateTime: 'now-1h',
        enrollmentStartDateTime: 'now-1h',
        deploymentState: 'inProgress',
        deviceSetupStatus: 'inProgress',
        accountSetupStatus: 'notAttempted',
        enrollmentType: 'azureADJoinedWithAutopilotProfile',
      });
      // 5RT8K73: a Win32 app skipped. 5CG3440TUV (In progress, enrolled 20 min ago): everything installed.
      h.sim.tenant.addReportAppRow({
        DeviceId: 'ed000000-0000-4000-8000-000000000065',
        ApplicationId: 'a-1',
        ApplicationName: 'Agent',
        AppType: 'Win32LobApp',
        PolicyInstallStatus: 'Skipped',
      });
      h.sim.tenant.addReportAppRow({
        DeviceId: 'ed000000-0000-4000-8000-000000000066',
        ApplicationId: 'a-2',
        ApplicationName: 'Company Portal',
        AppType: 'WinGetApp',
        PolicyInstallStatus: 'Installed',
      });
      h.sim.tenant.addReportScriptRow({
        DeviceId: 'ed000000-0000-4000-8000-000000000066',
        PolicyId: 'ps-1',
        DisplayName: 'Set-Region.ps1',
        PolicyInstallStatus: 'Installed',
      });
      h.sim.clock.advance(5 * HOUR);

      const result = await h.runPoll('full');
      const codesOf = (key: string) =>
        result.findings
          .filter((f) => f.subject.key === key)
          .map((f) => f.code)
          .sort();
      expect(codesOf('AUTOFAIL01')).toEqual(['AP_DEPLOYMENT_NO_RESULT']);
      const noResult = result.findings.find((f) => f.subject.key === 'AUTOFAIL01');
      expect(noResult?.evidence).toMatchObject({
        deploymentState: 'failure',
        errorCode: null,
        deploymentSeconds: null,
        corroboration: 'not-enrolled',
      });
      expect(codesOf('5RT8K73')).toContain('DP_APP_SKIPPED');
      expect(result.findings.find((f) => f.code === 'DP_APP_SKIPPED')?.evidence).toMatchObject({
        names: 'Agent',
        managedInstallerPossible: true,
      });
      expect(codesOf('5CG3440TUV')).toContain('DP_DEPLOYMENT_STUCK_AT_100');
      expect(result.findings.some((f) => f.code === 'DP_REPORT_EXPORT_FAILED')).toBe(false);
      // The sweep asked for exactly the three exports, each naming its columns.
      const posts = h.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/reports/exportJobs'));
      expect(posts).toHaveLength(3);
    } finally {
      await h.stop();
    }
  });
});
