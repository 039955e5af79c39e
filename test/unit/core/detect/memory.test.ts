import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import {
  defaultDetectorRules,
  detectAll,
  memoryFromOpenFindings,
  preprovisionedRunFromEvidence,
} from '../../../../shared/core/detect/index.js';
import {
  DAY,
  HOUR,
  NOW,
  event,
  fullSnapshot,
  identity,
  managedDevice,
  entraDevice,
} from '../../../support/builders.js';

// The technician-run end time outlives the 30-day event retention only through the open finding's
// evidence, which the poll use case feeds back as snapshot.memory.

describe('pre-provisioning memory', () => {
  it('round-trips: the run seen in events is still tracked once the event has aged out', () => {
    const end = NOW - 2 * DAY;
    const technician = event({
      enrollmentType: 'azureADJoinedWithWhiteGlove',
      deploymentState: 'success',
      deploymentStartAt: end - HOUR,
      deploymentEndAt: end,
    });
    const base = {
      identities: [identity({ lastContactedAt: end - HOUR })],
      entraDevices: [entraDevice()],
      managedDevices: [managedDevice({ lastSyncAt: end })],
    };

    const first = detectAll(fullSnapshot({ ...base, events: [technician] }), NOW, defaultDetectorRules).findings;
    const pending = first.find((f) => f.code === CODES.AP_PREPROV_USER_FLOW_PENDING)!;
    expect(pending.severity).toBe('info');

    const memory = memoryFromOpenFindings([{ code: pending.code, status: 'open', evidence: pending.evidence }]);
    expect(memory.preprovisionedRuns).toEqual([{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: end }]);

    // 150 days later: no event any more, only memory. Same run, escalated to warning.
    const later = detectAll(fullSnapshot({ ...base, memory }), end + 155 * DAY, defaultDetectorRules).findings;
    const again = later.find((f) => f.code === CODES.AP_PREPROV_USER_FLOW_PENDING)!;
    expect(again.severity).toBe('warning');
    expect(again.evidence['technicianEndAt']).toBe(end);
  });

  it('ignores resolved records, other codes and malformed evidence', () => {
    expect(
      memoryFromOpenFindings([
        {
          code: CODES.AP_PREPROV_USER_FLOW_PENDING,
          status: 'resolved',
          evidence: { serialNumber: 'A', technicianEndAt: 1 },
        },
        { code: CODES.AP_FIX_PENDING, evidence: { serialNumber: 'B', technicianEndAt: 1 } },
        { code: CODES.AP_PREPROV_USER_FLOW_PENDING, evidence: { serialNumber: 'C', technicianEndAt: 'yesterday' } },
        { code: CODES.AP_PREPROV_USER_FLOW_PENDING, evidence: null },
        {
          code: CODES.AP_PREPROV_USER_FLOW_PENDING,
          evidence: { serialNumber: 'D', autopilotId: 7, technicianEndAt: 5 },
        },
      ]).preprovisionedRuns,
    ).toEqual([{ serialNumber: 'D', autopilotId: null, technicianEndAt: 5 }]);
    expect(preprovisionedRunFromEvidence([1, 2])).toBeNull();
  });
});
