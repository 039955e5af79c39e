import { describe, expect, it } from 'vitest';

import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll, memoryFromOpenFindings } from '../../../../shared/core/detect/index.js';
import type { AutopilotEvent, Finding, TenantSnapshot } from '../../../../shared/core/model/index.js';
import { decide, NO_HISTORY, type PolicySettings } from '../../../../shared/core/policy/index.js';
import { DAY, HOUR, NOW, event, identity, snapshot } from '../../../support/builders.js';

// Detector and policy together (issue 14 items 4–5): the identity detector records the device's LATEST
// deployment — from this run's events, or remembered by an open event finding once the event has left the
// poll's read window — and the policy unblocks only a userless deployment refused with 0x80180014.
// "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled device?", Windows
// Autopilot troubleshooting FAQ, https://learn.microsoft.com/autopilot/troubleshooting-faq.

const POLICY: PolicySettings = {
  defaultMode: 'enforce',
  enabledActions: ['allow-next-enrollment'],
  actionModes: {
    'autopilot-sync': 'off',
    'allow-next-enrollment': 'enforce',
    'add-to-device-prep-group': 'off',
    'restore-device-prep-owner': 'off',
    'delete-intune-device-record': 'off',
    'deregister-autopilot-device': 'off',
  },
  blastRadiusMaxDevices: 50,
  blastRadiusMaxPercent: 10,
  blastRadiusMinDevices: 5,
  cooldownMs: 0,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
};

const blocked = identity({ userlessEnrollmentStatus: 'blocked', enrollmentState: 'enrolled' });
const refused = (o: Partial<AutopilotEvent> = {}): AutopilotEvent =>
  event({
    id: 'ev-refused',
    enrollmentType: 'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
    deploymentState: 'failure',
    failureDetails: '0x80180014: DeviceNotSupported',
    ...o,
  });

function blockFinding(s: TenantSnapshot, now = NOW): Finding {
  const f = detectAll(s, now, defaultDetectorRules).findings.find((x) => x.code === CODES.AP_USERLESS_BLOCKED);
  if (!f) throw new Error('no AP_USERLESS_BLOCKED finding');
  return f;
}

const verdict = (f: Finding, now = NOW) =>
  decide(f, { history: NO_HISTORY, now, policy: POLICY, allowedGroupIds: [] }).kind;

describe('unblock evidence, detector to policy', () => {
  it.each<[string, TenantSnapshot, 'remediate' | 'alert-only']>([
    [
      'self-deploying refused with 0x80180014 in this run',
      snapshot({ identities: [blocked], events: [refused()] }),
      'remediate',
    ],
    [
      'the same with the code as signed decimal',
      snapshot({ identities: [blocked], events: [refused({ failureDetails: 'hr=-2145910764' })] }),
      'remediate',
    ],
    ['no deployment seen at all', snapshot({ identities: [blocked] }), 'alert-only'],
    [
      'user-driven deployment refused with 0x80180014',
      snapshot({ identities: [blocked], events: [refused({ enrollmentType: 'azureADJoinedWithAutopilotProfile' })] }),
      'alert-only',
    ],
    [
      'a later successful deployment supersedes the refusal',
      snapshot({
        identities: [blocked],
        events: [
          refused({ deploymentStartAt: NOW - 5 * HOUR }),
          event({ id: 'ev-later', deploymentState: 'success', deploymentStartAt: NOW - 2 * HOUR }),
        ],
      }),
      'alert-only',
    ],
    [
      'DEFECT: a serial that contains 80180014 and no event',
      snapshot({
        identities: [identity({ id: 'ap-x', serialNumber: 'X80180014Z', userlessEnrollmentStatus: 'blocked' })],
      }),
      'alert-only',
    ],
    [
      'DEFECT: enrollmentState = blocked (not the userless block) with a refusal',
      snapshot({
        identities: [identity({ enrollmentState: 'blocked', userlessEnrollmentStatus: 'allowed' })],
        events: [refused()],
      }),
      'alert-only',
    ],
  ])('%s -> %s', (_name, s, expected) => {
    expect(verdict(blockFinding(s))).toBe(expected);
  });

  it('the refusal is remembered through the open event finding once the event has left the read window', () => {
    const first = detectAll(
      snapshot({ identities: [blocked], events: [refused()] }),
      NOW,
      defaultDetectorRules,
    ).findings;
    const eventFinding = first.find((f) => f.code === CODES.AP_ONE_TIME_ENROLLMENT_BLOCK)!;
    const memory = memoryFromOpenFindings([
      {
        subjectKey: eventFinding.subject.key,
        code: eventFinding.code,
        status: 'open',
        evidence: eventFinding.evidence,
      },
    ]);
    expect(memory.deployments).toEqual([
      expect.objectContaining({
        deviceKey: 'SN-1',
        eventId: 'ev-refused',
        deploymentState: 'failure',
        failureCode: '0x80180014',
      }),
    ]);
    // Two days later, an incremental poll reads no events: the memory alone carries the evidence.
    const later = blockFinding(snapshot({ identities: [blocked], memory }), NOW + 2 * DAY);
    expect(later.evidence).toMatchObject({
      lastDeploymentEventId: 'ev-refused',
      lastDeploymentFailureCode: '0x80180014',
    });
    expect(verdict(later, NOW + 2 * DAY)).toBe('remediate');
    // A remembered failure of ANOTHER device is not this device's evidence.
    const other = memoryFromOpenFindings([
      {
        subjectKey: 'SN-2',
        code: eventFinding.code,
        status: 'open',
        evidence: { ...eventFinding.evidence, serialNumber: 'SN-2' },
      },
    ]);
    expect(
      verdict(blockFinding(snapshot({ identities: [blocked], memory: other }), NOW + 2 * DAY), NOW + 2 * DAY),
    ).toBe('alert-only');
  });

  it('the blocked finding carries the manufacturer for its fix text', () => {
    expect(blockFinding(snapshot({ identities: [blocked] })).evidence['manufacturer']).toBe('Contoso');
  });

  it('a blocked record whose serial another record shares (case aside) is not unblocked: which one is unknowable', () => {
    // Whoever imports a device chooses its serial: a case-twin of a blocked device must not choose which record the
    // unblock goes to, and their events and unblock history are one device key's. (A sweep also reports the pair as
    // AP_DUPLICATE_SERIAL, whose fix is to deregister the stale record.)
    const twin = identity({ id: 'ap-2', serialNumber: 'sn-1', userlessEnrollmentStatus: 'blocked' });
    const found = detectAll(snapshot({ identities: [blocked, twin], events: [refused()] }), NOW, defaultDetectorRules);
    const blocks = found.findings.filter((f) => f.code === CODES.AP_USERLESS_BLOCKED);
    expect(blocks.length).toBeGreaterThan(0);
    for (const f of blocks) {
      expect(f.remedy).toBeNull();
      expect(f.evidence['recordsWithThisSerial']).toBe(2);
      expect(verdict(f)).toBe('alert-only');
    }
    // Alone, the same record is unblocked.
    expect(verdict(blockFinding(snapshot({ identities: [blocked], events: [refused()] })))).toBe('remediate');
  });
});
