import { describe, expect, it } from 'vitest';

import type { Evidence, EvidenceValue } from '../../../../shared/core/model/index.js';
import { flagsFromEvidence, parseHresult, resolveFlags } from '../../../../shared/core/policy/index.js';
import { REFUSED_BY_BLOCK, T0 } from './fixtures.js';

// The unblock gate reads STRUCTURED evidence only (issue 14 item 4): an HRESULT is parsed from a named field,
// never found as a substring of whatever the evidence holds. 0x80180014 in its three documented spellings —
// "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled device?", Windows
// Autopilot troubleshooting FAQ, https://learn.microsoft.com/autopilot/troubleshooting-faq.

describe('parseHresult', () => {
  it.each<[string, EvidenceValue, number | null]>([
    ['0x hex', '0x80180014', 0x80180014],
    ['upper-case hex', '0X80180014', 0x80180014],
    ['bare 8 hex digits', '80180014', 0x80180014],
    ['unsigned decimal string', '2149056532', 0x80180014],
    ['signed decimal string', '-2145910764', 0x80180014],
    ['unsigned decimal number', 2149056532, 0x80180014],
    ['signed decimal number', -2145910764, 0x80180014],
    ['surrounding spaces', ' 0x80180014 ', 0x80180014],
    ['another code', '0x80180005', 0x80180005],
    ['a serial that contains the digits', 'X80180014Z', null],
    ['free text around the code', 'Enrollment failed 0x80180014', null],
    ['too many hex digits', '0x801800140', null],
    ['out of 32-bit range', 4294967296, null],
    ['fraction', 2149056532.5, null],
    ['boolean', true, null],
    ['null', null, null],
  ])('%s', (_name, value, expected) => {
    expect(parseHresult(value)).toBe(expected);
  });
});

describe('flagsFromEvidence', () => {
  it('reads the last deployment from its structured keys', () => {
    expect(flagsFromEvidence(REFUSED_BY_BLOCK)).toEqual({
      userlessBlocked: true,
      lastDeployment: {
        eventId: 'ev-1',
        serialNumber: 'SN-1',
        deploymentState: 'failure',
        enrollmentType: 'azureADJoinedWithWhiteGlove',
        failureCode: 0x80180014,
        startedAt: T0 - 2 * 3_600_000,
      },
      remediationState: null,
      group: null,
      policyTargetProven: null,
    });
  });

  it.each<[string, Evidence]>([
    // Defect (issue 14 item 4): these passed as "failure events" because a value contained 80180014.
    ['a serial containing 80180014', { serialNumber: 'X80180014Z' }],
    ['free-text failure details', { failureDetails: 'Error 0x80180014 (DeviceNotSupported)' }],
    ['an unnamed error code field', { errorCode: '0x80180014' }],
    ['a device name', { managedDeviceName: 'KIOSK-2149056532' }],
  ])('%s is no deployment evidence', (_name, evidence) => {
    expect(flagsFromEvidence(evidence).lastDeployment).toBeNull();
  });

  it('only userlessEnrollmentStatus = blocked is the userless block (issue 14 item 5)', () => {
    expect(flagsFromEvidence({ userlessEnrollmentStatus: 'blocked' }).userlessBlocked).toBe(true);
    expect(flagsFromEvidence({ enrollmentState: 'blocked' }).userlessBlocked).toBe(false);
    expect(flagsFromEvidence({ userlessEnrollmentStatus: 'allowed', enrollmentState: 'blocked' }).userlessBlocked).toBe(
      false,
    );
  });

  it('reads remediation state and group shape; defaults are the safe side', () => {
    expect(flagsFromEvidence({ remediationState: 'AutomaticRemediationRequired' })).toMatchObject({
      remediationState: 'automaticRemediationRequired',
      group: null,
      lastDeployment: null,
      userlessBlocked: false,
    });
    expect(flagsFromEvidence({ remediationState: 'somethingNew' }).remediationState).toBe('unknown');
    expect(flagsFromEvidence({ isDynamic: true }).group).toEqual({
      exists: true,
      isDynamic: true,
      securityEnabled: true,
      isAssignableToRole: false,
    });
  });

  it('explicit flags override evidence, including explicit nulls', () => {
    const flags = resolveFlags(
      { ...REFUSED_BY_BLOCK, remediationState: 'manualRemediationRequired', groupIsDynamic: true },
      { remediationState: null, group: null, lastDeployment: null },
    );
    expect(flags).toEqual({
      userlessBlocked: true,
      lastDeployment: null,
      remediationState: null,
      group: null,
      policyTargetProven: null,
    });
  });
});
