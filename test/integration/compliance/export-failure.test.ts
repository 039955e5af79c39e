import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite } from '../../support/harness.js';

// Issue 14 item 12, over real HTTP (simulator) and the real Table API (Azurite). A failure of the device-preparation
// report export (Microsoft Learn "Export Intune reports using Graph APIs",
// https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis) used to abort the whole
// compliance sweep. Now it is its own finding, the sweep carries on with every other check, and the findings that
// read that export are neither opened nor resolved in that run.

const DEPLOYMENT_JOB = 'exportJobs/AutopilotV2DeploymentStatus_'; // job ids start with the report name

describe('compliance sweep with a failing device-preparation export (demo scenario)', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('records DP_REPORT_EXPORT_FAILED, keeps every other sweep check, and leaves export-based findings as they were', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      const first = await h.runCompliance();
      const codes = (fs: readonly { code: string }[]) => new Set(fs.map((f) => f.code));
      expect(codes(first.poll.findings)).toContain('DP_DEPLOYMENT_FAILED');
      expect(codes(first.poll.findings)).not.toContain('DP_REPORT_EXPORT_FAILED');

      // The deployment report's job now answers 403 when polled; the detail reports still work.
      const fault = h.sim.faults.add({ path: DEPLOYMENT_JOB, method: 'GET', status: 403, code: 'Forbidden' });
      h.sim.clock.advance(60 * 60_000);
      const second = await h.runCompliance();
      expect(second.reportId).toBeTruthy();
      const failed = second.poll.findings.find((f) => f.code === 'DP_REPORT_EXPORT_FAILED');
      expect(failed?.severity).toBe('error');
      expect(failed?.evidence).toMatchObject({
        reports: 'AutopilotV2DeploymentStatus',
        errorKinds: 'permission',
        httpStatuses: '403',
      });
      // Every other sweep-only check still ran: the lifecycle findings are found again…
      for (const code of [
        'AP_MANAGED_NONCOMPLIANT',
        'AP_REGISTRATION_STALE',
        'AP_ENTRA_OBJECT_MISSING',
        'AP_MANAGED_CHECKIN_STALE',
      ]) {
        expect(codes(second.poll.findings), code).toContain(code);
      }
      // …while the export-based finding is neither re-detected nor resolved: it stays open as it was.
      expect(codes(second.poll.findings)).not.toContain('DP_DEPLOYMENT_FAILED');
      expect(second.poll.resolved.map((r) => r.code)).not.toContain('DP_DEPLOYMENT_FAILED');
      const open = await h.container.stores.findings.listOpen();
      expect(open.filter((r) => r.code === 'DP_DEPLOYMENT_FAILED')).toHaveLength(1);

      // Export works again: the export finding resolves, the deployment finding is checked again (still failed).
      h.sim.faults.remove(fault);
      h.sim.clock.advance(60 * 60_000);
      const third = await h.runCompliance();
      expect(third.poll.resolved.map((r) => r.code)).toContain('DP_REPORT_EXPORT_FAILED');
      expect(codes(third.poll.findings)).toContain('DP_DEPLOYMENT_FAILED');
    } finally {
      await h.stop();
    }
  });
});
