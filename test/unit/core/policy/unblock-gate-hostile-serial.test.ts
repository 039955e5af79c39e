// Whoever enrolls a device chooses its serial number. The unblock gate takes a 0x80180014 failure as evidence only
// when the deployment on record carries the device's own serial; before, both were compared upper-cased, and
// toUpperCase maps distinct characters onto ASCII letters (ſ → S, ı → I, ß → SS, ﬁ → FI), so a failure recorded
// under "ſN-SSI-1" counted for the device "SN-SSI-1".
import { describe, expect, it } from 'vitest';

import type { RemedyTarget } from '../../../../shared/core/model/index.js';
import { resolveFlags, unblockGate } from '../../../../shared/core/policy/index.js';
import { CONTROL_CHARS } from '../../../../shared/core/tenant-text.js';
import { ENFORCE_ALL, REFUSED_BY_BLOCK, REMEDIES } from './fixtures.js';

type UnblockRemedy = Extract<RemedyTarget, { action: 'allow-next-enrollment' }>;

const SERIAL = 'SN-SSI-1';

/** The gate for the device SERIAL whose latest deployment (a userless 0x80180014 failure) carries `eventSerial`. */
function gate(eventSerial: string): string | null {
  const flags = resolveFlags(
    { ...REFUSED_BY_BLOCK, lastDeploymentSerialNumber: eventSerial },
    { userlessBlocked: true, remediationState: null },
  );
  return unblockGate(REMEDIES.unblock(SERIAL) as UnblockRemedy, flags, ENFORCE_ALL, null);
}

describe('the unblock gate given a deployment whose serial is hostile tenant text', () => {
  it.each([
    ['the same serial', SERIAL],
    ['another ASCII case and surrounding blanks', ' sn-ssi-1\t'],
  ])('%s: the failure is evidence', (_name, eventSerial) => {
    expect(gate(eventSerial)).toBeNull();
  });

  it.each([
    ['a long s (ſ upper-cases to S)', 'ſN-SSI-1'],
    ['a dotless i (ı upper-cases to I)', 'SN-SSı-1'],
    ['a sharp s (ß upper-cases to SS)', 'SN-ßI-1'],
    ['a TAB inside', 'SN-SSI\t-1'],
    ['a zero-width space', 'SN-SSI-1\u200b'],
    ['a zero-width joiner inside', 'SN-\u200dSSI-1'],
    ['full-width letters', 'ＳＮ-ＳＳＩ-1'],
    ['600 characters', SERIAL + 'X'.repeat(600 - SERIAL.length)],
  ])('%s: another serial, no unblock; the reason quotes neither serial', (_name, eventSerial) => {
    const why = gate(eventSerial);
    expect(why).toContain('the deployment on record carries another serial number');
    expect(why).not.toContain(eventSerial);
    expect(why).not.toMatch(CONTROL_CHARS);
    expect(why).not.toMatch(/[\u200b-\u200d]/);
  });
});
