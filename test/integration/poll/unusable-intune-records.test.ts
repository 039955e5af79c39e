import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readScenarioFile } from '../../../sim/scenario/load.js';
import type { ScenarioObject } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import { BUNDLED_DEVICE_PREP_GROUPS, startHarness, type Azurite } from '../../support/harness.js';

// Issue 18 moved the sweep's Intune devices into a compact table that is filled page by page as the pages arrive, and
// the screening of unusable serials (issue 13.4) with it: each page is screened before its records go in. Intune
// pages hold 1,000 records, so this tenant has 1,025 managed devices and a TAB serial on each of the two pages.

// Ids that sort first and last, so the two land on different pages whether the service pages by id or as listed.
const TAB_ON_PAGE_1 = '0e000000-0000-4000-8000-000000000001';
const TAB_ON_PAGE_2 = 'fe000000-0000-4000-8000-000000000002';

function scenario(): ScenarioObject {
  const demo = readScenarioFile('demo');
  const managed = demo.managedDevices ?? [];
  const template = managed[0];
  if (!template) throw new Error('the demo lost its managed devices');
  const extra = Array.from({ length: 1_000 }, (_, i) => ({
    ...template,
    id: `ef000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    deviceName: `PAD-${i}`,
    serialNumber: `PAD${i}`,
    azureADDeviceId: `df000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    autopilotEnrolled: false,
  }));
  const tab = (id: string, serial: string) => ({ ...template, id, deviceName: `TAB-${serial}`, serialNumber: serial });
  return {
    ...demo,
    name: 'unusable-intune-records',
    managedDevices: [tab(TAB_ON_PAGE_1, 'TAB\t1'), ...managed, ...extra, tab(TAB_ON_PAGE_2, 'TAB\t2')],
  };
}

describe('Intune records with an unusable serial, screened page by page into the sweep table', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('reports each once, keeps every other record, and the sweep completes', async () => {
    const s = scenario();
    const h = await startHarness({
      scenario: s,
      azurite,
      mode: 'plan',
      devicePrepGroups: BUNDLED_DEVICE_PREP_GROUPS.demo,
    });
    try {
      const result = await h.runCompliance();
      const unusable = result.poll.findings.filter((f) => f.code === 'AP_TENANT_RECORD_UNUSABLE');
      expect(unusable.map((f) => [f.evidence['collection'], f.evidence['recordId']]).sort()).toEqual([
        ['managedDevices', TAB_ON_PAGE_1],
        ['managedDevices', TAB_ON_PAGE_2],
      ]);
      expect(result.poll.observed.unusableRecords).toHaveLength(2);
      expect(result.poll.observed.managedDevices).toBe((s.managedDevices ?? []).length - 2);
      expect(result.report.summary.totalDevices).toBe(result.poll.observed.identities);
    } finally {
      await h.stop();
    }
  });
});
