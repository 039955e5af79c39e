import { describe, expect, it } from 'vitest';
import { importedSchema } from '../../../../shared/adapters/graph/schemas/autopilot.js';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll, memoryFromOpenFindings } from '../../../../shared/core/detect/index.js';
import type { DetectorMemory, Finding } from '../../../../shared/core/model/index.js';
import { decide } from '../../../../shared/core/policy/index.js';
import { MINUTE, NOW, importedDevice, snapshot } from '../../../support/builders.js';
import { ctx } from '../policy/fixtures.js';

// Issue 14 item 3. Microsoft Graph beta "importedWindowsAutopilotDeviceIdentity resource type" › Properties
// (https://learn.microsoft.com/graph/api/resources/intune-enrollment-importedwindowsautopilotdeviceidentity?view=graph-rest-beta)
// lists no timestamp, so IMPORT_VISIBLE_MINUTES (20 by default) runs from the first time the product saw the completed
// import while its device was not visible — kept with the open AP_IMPORT_NOT_VISIBLE finding.

const RULES = { ...defaultDetectorRules, importVisibleMs: 20 * MINUTE };

function notVisible(memory: DetectorMemory | undefined, now = NOW): Finding | undefined {
  const s = snapshot({
    imports: [importedDevice()],
    complete: { identities: true, imports: true },
    ...(memory ? { memory } : {}),
  });
  return detectAll(s, now, RULES).findings.find((f) => f.code === CODES.AP_IMPORT_NOT_VISIBLE);
}

const seen = (minutesAgo: number): DetectorMemory => ({
  importSightings: [{ serialNumber: 'sn-1', firstSeenAt: NOW - minutesAgo * MINUTE }],
});

describe('import time = first sighting of the completed import (no timestamp in Graph)', () => {
  it.each([
    {
      name: 'first run that sees it: not yet past the threshold',
      memory: undefined,
      syncReason: false,
      severity: 'info',
    },
    {
      name: 'seen 10 min ago: still inside IMPORT_VISIBLE_MINUTES',
      memory: seen(10),
      syncReason: false,
      severity: 'info',
    },
    { name: 'seen exactly 20 min ago: not past it', memory: seen(20), syncReason: false, severity: 'info' },
    { name: 'seen 21 min ago: past the threshold', memory: seen(21), syncReason: true, severity: 'warning' },
    { name: 'seen 3 h ago', memory: seen(180), syncReason: true, severity: 'warning' },
  ] as const)('$name', ({ memory, syncReason, severity }) => {
    const f = notVisible(memory);
    expect(f?.severity).toBe(severity);
    expect(f?.remedy).toEqual(syncReason ? { action: 'autopilot-sync' } : null);
    // The policy sees a sync reason only past the threshold.
    const d = decide(f!, ctx());
    expect(d.kind).toBe(syncReason ? 'remediate' : 'skip');
    expect(d.action).toBe(syncReason ? 'autopilot-sync' : null);
  });

  it('keeps the sighting with the finding: the stored first-seen time dates the import on the next run', () => {
    const first = notVisible(undefined)!;
    // What the findings table keeps of it: firstSeenAt of the record and the finding's evidence.
    const record = { code: first.code, status: 'open', evidence: first.evidence, firstSeenAt: NOW };
    const memory = memoryFromOpenFindings([record]);
    expect(memory.importSightings).toEqual([{ serialNumber: 'SN-1', firstSeenAt: NOW }]);
    expect(notVisible(memory, NOW + 10 * MINUTE)?.remedy).toBeNull();
    const later = notVisible(memory, NOW + 25 * MINUTE)!;
    expect(later.remedy).toEqual({ action: 'autopilot-sync' });
    expect(later.evidence['importSeenAt']).toBe(NOW);
    // A new fingerprint (info → warning) re-opens it, so the sync decision is recorded when it becomes due.
    expect(later.fingerprint).not.toBe(first.fingerprint);
  });

  it('the adapter reads no import time (lastContactedDateTime is not a property of the resource)', () => {
    const parsed = importedSchema.parse({
      id: 'i1',
      serialNumber: 'SN-1',
      lastContactedDateTime: '2025-03-01T11:59:00Z',
      state: { deviceImportStatus: 'complete' },
    });
    expect(Object.keys(parsed).sort()).toEqual(['errorCode', 'errorName', 'id', 'serialNumber', 'status']);
  });
});
