import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../../../shared/adapters/graph/schemas/autopilot.js';
import { catalogEntry } from '../../../../shared/core/catalog/catalog.js';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll, memoryFromOpenFindings } from '../../../../shared/core/detect/index.js';
import type { AutopilotEvent, Finding, ManagedDevice, TenantSnapshot } from '../../../../shared/core/model/index.js';
import { HOUR, NOW, event, fullSnapshot, managedDevice, snapshot } from '../../../support/builders.js';

// Issue 14 items 9 and 10: two documented artefacts of the Windows Autopilot deployment report, from Microsoft Learn
// "Windows Autopilot - known issues" (https://learn.microsoft.com/autopilot/known-issues):
//  - "Windows Autopilot report incorrectly shows failure even though the deployment was successful": In progress turns
//    into Failed after 4 hours without a status. Such a row has no error code and a zero/default duration (PT0S),
//    which is "unknown", not zero — it must not read as a hard error with a code.
//  - "Autopilot deployment report shows "failure" status on a successful deployment": after Try again / Continue to
//    desktop the failed row is not updated. An Intune check-in after the deployment's end downgrades it to info.

const DEPLOYMENT_CODES: readonly string[] = [
  CODES.AP_DEPLOYMENT_FAILED,
  CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
  CODES.AP_DEPLOYMENT_NO_RESULT,
  CODES.AP_DEPLOYMENT_RECOVERED,
  CODES.AP_PREPROV_FAILED,
  CODES.AP_DEPLOYMENT_TIMEOUT,
  CODES.AP_TPM_ATTESTATION_FAILED,
  CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
];

function verdict(s: TenantSnapshot): Finding | undefined {
  return detectAll(s, NOW, defaultDetectorRules).findings.find((f) => DEPLOYMENT_CODES.includes(f.code));
}

/** The row as Graph sends it after the report's 4-hour failure: no end, PT0S durations, no details. */
const wireAutoFail = eventSchema.parse({
  id: 'ev-auto',
  deviceId: 'md-1',
  deviceSerialNumber: 'SN-1',
  eventDateTime: new Date(NOW - 5 * HOUR).toISOString(),
  enrollmentType: 'azureADJoinedWithAutopilotProfile',
  deploymentState: 'failure',
  deviceSetupStatus: 'inProgress',
  accountSetupStatus: 'notAttempted',
  deploymentStartDateTime: new Date(NOW - 5 * HOUR).toISOString(),
  deploymentEndDateTime: '0001-01-01T00:00:00Z',
  enrollmentStartDateTime: new Date(NOW - 5 * HOUR).toISOString(),
  deploymentTotalDuration: 'PT0S',
  deploymentDuration: 'PT0S',
  enrollmentFailureDetails: null,
});

const reported = (o: Partial<AutopilotEvent> = {}): AutopilotEvent =>
  event({
    id: 'ev-r',
    deploymentState: 'failure',
    deviceSetupStatus: 'failure',
    failureDetails: 'Win32 app failed 0x80070643',
    deploymentStartAt: NOW - 5 * HOUR,
    deploymentEndAt: NOW - 4 * HOUR,
    deploymentTotalSeconds: 3600,
    ...o,
  });

const md = (o: Partial<ManagedDevice>) => [managedDevice(o)];

describe('item 9: a zero or default duration is unknown; the 4-hour auto-fail is not a hard error', () => {
  it('the adapter maps PT0S to "no duration"', () => {
    expect(wireAutoFail.deploymentTotalSeconds).toBeNull();
    expect(wireAutoFail.deploymentEndAt).toBeNull();
  });

  it.each([
    {
      name: 'PT0S auto-fail, Intune never saw the device (full read)',
      s: fullSnapshot({ events: [wireAutoFail] }),
      code: CODES.AP_DEPLOYMENT_NO_RESULT,
    },
    {
      name: 'PT0S auto-fail, no check-in since the start',
      s: fullSnapshot({ events: [wireAutoFail], managedDevices: md({ lastSyncAt: NOW - 30 * HOUR }) }),
      code: CODES.AP_DEPLOYMENT_NO_RESULT,
    },
    {
      name: 'PT0S auto-fail, checked in after the start',
      s: fullSnapshot({ events: [wireAutoFail], managedDevices: md({ lastSyncAt: NOW - HOUR }) }),
      code: CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    },
    {
      name: 'PT0S auto-fail on a poll (Intune not read)',
      s: snapshot({ events: [wireAutoFail] }),
      code: CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    },
    {
      name: 'zero seconds in the model (older adapters) is unknown too',
      s: fullSnapshot({ events: [{ ...wireAutoFail, deploymentTotalSeconds: 0 }] }),
      code: CODES.AP_DEPLOYMENT_NO_RESULT,
    },
    {
      name: 'a real 50-minute duration with no code is a device-reported failure',
      s: fullSnapshot({ events: [{ ...wireAutoFail, deploymentTotalSeconds: 3000 }] }),
      code: CODES.AP_DEPLOYMENT_FAILED,
    },
    {
      name: 'an error code makes it a hard failure whatever the duration',
      s: fullSnapshot({ events: [{ ...wireAutoFail, failureDetails: '0x800705b4' }] }),
      code: CODES.AP_DEPLOYMENT_TIMEOUT,
    },
  ])('$name → $code', ({ s, code }) => {
    const f = verdict(s)!;
    expect(f.code).toBe(code);
    if (code === CODES.AP_DEPLOYMENT_NO_RESULT || code === CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED) {
      // Own wording, no error code, below "error".
      expect(f.evidence['errorCode']).toBeNull();
      expect(f.severity).not.toBe('error');
      expect(f.title).toBe(catalogEntry(code)!.title);
      expect(f.title.toLowerCase()).not.toContain('deployment failed');
    }
  });
});

describe('item 10: a failed row stays Failed after Try again / Continue anyway', () => {
  it.each([
    {
      name: 'check-in after the end → recovered (info)',
      last: NOW - HOUR,
      code: CODES.AP_DEPLOYMENT_RECOVERED,
      severity: 'info',
    },
    {
      name: 'check-in exactly at the end → still failed',
      last: NOW - 4 * HOUR,
      code: CODES.AP_DEPLOYMENT_FAILED,
      severity: 'error',
    },
    {
      name: 'last check-in before the end → still failed',
      last: NOW - 4.5 * HOUR,
      code: CODES.AP_DEPLOYMENT_FAILED,
      severity: 'error',
    },
    { name: 'never checked in → still failed', last: null, code: CODES.AP_DEPLOYMENT_FAILED, severity: 'error' },
  ] as const)('$name', ({ last, code, severity }) => {
    const f = verdict(fullSnapshot({ events: [reported()], managedDevices: md({ lastSyncAt: last }) }))!;
    expect(f.code).toBe(code);
    expect(f.severity).toBe(severity);
  });

  it('a classified failure (TPM attestation) that the device got past is recovered too', () => {
    const e = reported({ enrollmentType: 'azureADJoinedWithWhiteGlove', failureDetails: '0x801c03ea' });
    expect(verdict(fullSnapshot({ events: [e], managedDevices: md({ lastSyncAt: NOW - HOUR }) }))!.code).toBe(
      CODES.AP_DEPLOYMENT_RECOVERED,
    );
    expect(verdict(fullSnapshot({ events: [e], managedDevices: md({ lastSyncAt: NOW - 6 * HOUR }) }))!.code).toBe(
      CODES.AP_TPM_ATTESTATION_FAILED,
    );
  });

  it.each([
    {
      name: 'the one-time enrollment block stays (the enrollment was refused; it is the unblock evidence)',
      details: '0x80180014',
      code: CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
    },
    {
      name: "only the deployment's own Intune record counts, not another record of the serial",
      details: '0x80070643',
      code: CODES.AP_DEPLOYMENT_FAILED,
      otherRecord: true,
    },
  ])('not recovered: $name', ({ details, code, otherRecord }) => {
    const e = reported({
      failureDetails: details,
      enrollmentType: 'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
      ...(otherRecord ? { deviceId: 'md-old' } : {}),
    });
    const managed = md({ id: otherRecord ? 'md-new' : 'md-1', lastSyncAt: NOW - HOUR });
    expect(verdict(fullSnapshot({ events: [e], managedDevices: managed }))!.code).toBe(code);
  });

  it("a poll that re-reads the row without Intune keeps the sweep's verdict instead of flipping back to failed", () => {
    const sweep = verdict(fullSnapshot({ events: [reported()], managedDevices: md({ lastSyncAt: NOW - HOUR }) }))!;
    expect(sweep.code).toBe(CODES.AP_DEPLOYMENT_RECOVERED);
    const memory = memoryFromOpenFindings([{ code: sweep.code, status: 'open', evidence: sweep.evidence }]);
    expect(verdict(snapshot({ events: [reported()], memory }))!.code).toBe(CODES.AP_DEPLOYMENT_RECOVERED);
    // Without that memory a poll can only report what the row says.
    expect(verdict(snapshot({ events: [reported()] }))!.code).toBe(CODES.AP_DEPLOYMENT_FAILED);
  });
});
