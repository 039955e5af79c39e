import { describe, expect, it } from 'vitest';

import { CODES } from '../../../shared/core/catalog/codes.js';
import {
  coverage,
  defaultDetectorRules,
  detectAll,
  screenIdentities,
  screenImports,
} from '../../../shared/core/detect/index.js';
import { MAX_SERIAL_CHARS, serialProblem, visibleText } from '../../../shared/core/tenant-text.js';
import { fullSnapshot, identity, importedDevice, NOW, snapshot } from '../../support/builders.js';

// Issue 13.4: which serial numbers cannot be used, how they are shown, and the lifecycle of their finding.

describe('serial numbers from the tenant', () => {
  it.each([
    ['PF5\tTAB01', /control character U\+0009 at position 4/],
    ['A\u001b[2J', /control character U\+001B/],
    ['A\u007fB', /control character U\+007F/],
    ['A\u0085B', /control character U\+0085/],
    ['A\ud800B', /unpaired surrogate U\+D800/],
    ['S'.repeat(MAX_SERIAL_CHARS + 1), /257 characters long/],
  ])('%j cannot be used', (serial, why) => {
    expect(serialProblem(serial)).toMatch(why);
  });

  it.each(['9TQ4L83', ' 9TQ4L83\t', 'ÜNÏ-ÇØDÉ', '#/?%\\\'"', 'S'.repeat(MAX_SERIAL_CHARS), 'PF\u202eX0', '😀'])(
    '%j can',
    (serial) => {
      expect(serialProblem(serial)).toBeNull();
    },
  );

  it('is shown escaped and clipped, never raw', () => {
    expect(visibleText('PF5\tTAB01')).toBe('PF5\\tTAB01');
    expect(visibleText('a\\tb')).toBe('a\\\\tb');
    expect(visibleText('\u001b]0;x\u0007')).toBe('\\u001B]0;x\\u0007');
    const long = visibleText('S'.repeat(600), 80);
    expect(long).toBe(`${'S'.repeat(80)}… (600 characters)`);
    // Never half an escape: 79 characters and a TAB escape to 81; the cut at 80 would leave a lone backslash.
    expect(visibleText(`${'S'.repeat(79)}\t`, 80)).toBe(`${'S'.repeat(79)}… (80 characters)`);
  });
});

describe('unusable records in detection', () => {
  const bad = screenImports([importedDevice({ id: 'IMP-1', serialNumber: 'PF5\tTAB01', status: 'complete' })]);
  const badIdentity = screenIdentities([identity({ id: 'ap-9', serialNumber: 'X\u001bY' })]);

  it('are screened out of the collections and reported one finding per record, with id and problem', () => {
    expect(bad.usable).toEqual([]);
    const s = snapshot({
      unusableRecords: [...bad.unusable, ...bad.unusable, ...badIdentity.unusable],
      complete: { imports: true },
    });
    const found = detectAll(s, NOW, defaultDetectorRules).findings.filter(
      (f) => f.code === CODES.AP_TENANT_RECORD_UNUSABLE,
    );
    expect(found.map((f) => [f.subject.key, f.evidence['recordId'], f.evidence['value']])).toEqual([
      ['record:importedWindowsAutopilotDeviceIdentities:imp-1', 'IMP-1', 'PF5\\tTAB01'],
      ['record:windowsAutopilotDeviceIdentities:ap-9', 'ap-9', 'X\\u001BY'],
    ]);
    expect(found[1]?.subject).toMatchObject({ kind: 'device', serialNumber: null, autopilotId: 'ap-9' });
  });

  it('resolve only when the whole collection was read (or the record was seen again)', () => {
    const importKey = 'record:importedWindowsAutopilotDeviceIdentities:imp-1';
    const identityKey = 'record:windowsAutopilotDeviceIdentities:ap-9';
    const code = CODES.AP_TENANT_RECORD_UNUSABLE;
    // An incremental poll reads every import but only blocked identities.
    const poll = coverage(snapshot({ complete: { imports: true, blockedIdentities: true } }), defaultDetectorRules);
    expect(poll(code, importKey)).toBe(true);
    expect(poll(code, identityKey)).toBe(false);
    expect(coverage(fullSnapshot(), defaultDetectorRules)(code, identityKey)).toBe(true);
    expect(coverage(snapshot({ unusableRecords: badIdentity.unusable }), defaultDetectorRules)(code, identityKey)).toBe(
      true,
    );
    expect(poll(code, 'record:nonsense:x')).toBe(false);
  });
});
