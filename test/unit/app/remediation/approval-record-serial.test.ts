// Before an approved deletion or deregistration writes, the Autopilot record the request names must still read the
// approved device's serial number (identityUnchanged). Whoever enrolls a device chooses its serial: before, both were
// compared upper-cased, and toUpperCase maps distinct characters onto ASCII letters (ſ → S, ı → I, ß → SS), so a
// record now reading "ſN-SSI-1" passed for the approved "SN-SSI-1".
import { describe, expect, it } from 'vitest';

import { identityUnchanged } from '../../../../shared/app/remediation/handlers/approval-check.js';
import type { ApprovalTarget } from '../../../../shared/core/approvals/index.js';
import { identity } from '../../../support/builders.js';
import { AP, MD, request } from '../approvals/fixtures.js';

const SERIAL = 'SN-SSI-1';
const TARGET: ApprovalTarget = {
  action: 'delete-intune-device-record',
  managedDeviceId: MD,
  autopilotId: AP,
  serialNumber: SERIAL,
};
const APPROVED = { ...request(TARGET, { subjectKey: SERIAL }), etag: 'e1' };

/** identityUnchanged for the approved request when the record reads `serialNumber` and nothing else changed. */
function check(serialNumber: string): string | null {
  return identityUnchanged(
    APPROVED,
    identity({ id: AP, serialNumber, remediationState: 'manualRemediationRequired', managedDeviceId: MD }),
  );
}

describe("an approved request's Autopilot record whose serial number is hostile tenant text", () => {
  it.each([
    ['the approved serial', SERIAL],
    ['another ASCII case and surrounding blanks', ' sn-ssi-1  '],
  ])('%s: unchanged', (_name, serial) => {
    expect(check(serial)).toBeNull();
  });

  it.each([
    ['a long s (ſ upper-cases to S)', 'ſN-SSI-1'],
    ['a dotless i (ı upper-cases to I)', 'SN-SSı-1'],
    ['a sharp s (ß upper-cases to SS)', 'SN-ßI-1'],
    ['a TAB inside', 'SN-SS\tI-1'],
    ['a zero-width space', 'SN-SSI-1\u200b'],
    ['a zero-width non-joiner inside', 'SN-\u200cSSI-1'],
    ['full-width letters', 'ＳＮ-ＳＳＩ-1'],
    ['600 characters', `${SERIAL}${'9'.repeat(600 - SERIAL.length)}`],
  ])('%s: changed; the reason names the approved serial, not the record text', (_name, serial) => {
    const why = check(serial);
    expect(why).toBe(
      `state changed since the proposal: the Autopilot record's serial number is not the approved ${SERIAL}`,
    );
  });
});
