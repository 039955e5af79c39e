import { describe, expect, it } from 'vitest';

import { makeSweepHandler } from '../../functions/http-sweep.js';
import { readScenarioFile } from '../../sim/scenario/load.js';
import { httpRequest, invocation, jsonOf, startHarness, tenantWrites } from './http-harness.js';

// Issue 13.4 at the HTTP trigger: an imported serial with a TAB made every POST /api/sweep answer 500 (and the
// timer fail every 5 minutes). Now the sweep answers 200, acts on the rest, and counts the skipped record.

describe('POST /api/sweep with a record that cannot be used', () => {
  it('answers 200, still remediates the other devices, and counts the skipped record', async () => {
    const demo = readScenarioFile('demo');
    const scenario = {
      ...demo,
      name: 'tab-import',
      importedDevices: [
        ...(demo.importedDevices ?? []),
        {
          id: 'a1000000-0000-4000-8000-0000000000f1',
          serialNumber: 'PF5\tTAB01',
          state: { deviceImportStatus: 'complete' as const, deviceErrorCode: 0 },
        },
      ],
    };
    const h = await startHarness({ REMEDIATION_MODE: 'enforce' }, { sim: { scenario }, install: false });
    try {
      const res = await makeSweepHandler(() => Promise.resolve(h.container))(
        httpRequest('POST', 'sweep'),
        invocation('sweep').ctx,
      );
      expect(res.status).toBe(200);
      const counts = jsonOf(res).counts as { unusableRecords: number; commands: number };
      expect(counts.unusableRecords).toBe(1);
      expect(counts.commands).toBeGreaterThan(0);
      expect(tenantWrites(h.sim).length).toBeGreaterThan(0);
      const open = await h.container.stores.findings.listOpen();
      expect(open.filter((f) => f.code === 'AP_TENANT_RECORD_UNUSABLE').map((f) => f.subjectKey)).toEqual([
        'record:importedWindowsAutopilotDeviceIdentities:a1000000-0000-4000-8000-0000000000f1',
      ]);
    } finally {
      await h.stop();
    }
  });
});
