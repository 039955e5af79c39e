import { describe, expect, it } from 'vitest';

import type { Evidence } from '../../../../shared/core/model/index.js';
import { flagsFromEvidence, resolveFlags } from '../../../../shared/core/policy/index.js';

describe('flagsFromEvidence', () => {
  it.each<[string, Evidence, boolean]>([
    ['hex code in details', { failureDetails: 'Error 0x80180014 (DeviceNotSupported)' }, true],
    ['upper-case hex', { errorCode: '0X80180014' }, true],
    ['unsigned decimal string', { resultCode: '2149056532' }, true],
    ['signed decimal number', { errorCode: -2145910764 }, true],
    ['explicit flag', { failureEvent: true }, true],
    ['another code', { errorCode: '0x80180005' }, false],
    ['nothing', {}, false],
  ])('failure event: %s', (_name, evidence, expected) => {
    expect(flagsFromEvidence(evidence).failureEvent).toBe(expected);
  });

  it('reads reuse, remediation state and group shape; defaults are the safe side', () => {
    expect(flagsFromEvidence({ reuseApproved: true, remediationState: 'AutomaticRemediationRequired' })).toMatchObject({
      reuseSignal: true,
      remediationState: 'automaticRemediationRequired',
      group: null,
    });
    expect(flagsFromEvidence({ remediationState: 'somethingNew' }).remediationState).toBe('unknown');
    expect(flagsFromEvidence({ isDynamic: true }).group).toEqual({ exists: true, isDynamic: true, securityEnabled: true, isAssignableToRole: false });
  });

  it('explicit flags override evidence, including explicit nulls', () => {
    const evidence = { remediationState: 'manualRemediationRequired', groupIsDynamic: true };
    const flags = resolveFlags(evidence, { remediationState: null, group: null, reuseSignal: true });
    expect(flags).toEqual({ failureEvent: false, reuseSignal: true, remediationState: null, group: null });
  });
});
