// Serial numbers are tenant text: whoever enrolls or imports a device chooses it. normSerial is the key that joins a
// device's Autopilot, Intune and Entra records and keys its history; it used to be trim().toUpperCase(), which maps
// distinct characters onto ASCII letters (ſ → S, ı → I, ß → SS, ﬁ → FI) and trims Unicode blanks, so a device
// enrolled as "ſN-1" or "SN-1\u00a0" was the device "SN-1".
import { describe, expect, it } from 'vitest';

import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import { lookup, managedForIdentity } from '../../../../shared/core/detect/lookup.js';
import { normSerial, sameSerial, trimSerial } from '../../../../shared/core/fleet/device-keys.js';
import { serialKey } from '../../../../shared/core/actions/index.js';
import { HOUR, NOW, identity, managedDevice, snapshot } from '../../../support/builders.js';

const VICTIM = 'SN-1';
/** Serials toUpperCase and String.prototype.trim made into "SN-1", each another device's. */
const LOOKALIKES: readonly [string, string][] = [
  ['long s (ſ → S)', 'ſN-1'],
  ['lower-case long s and n', 'ſn-1'],
  ['trailing NBSP', 'SN-1\u00a0'],
  ['leading ideographic space U+3000', '\u3000SN-1'],
  ['trailing line separator U+2028', 'SN-1\u2028'],
  ['leading BOM / ZWNBSP U+FEFF', '\uFEFFSN-1'],
];

describe('a lookalike serial is not the device it looks like', () => {
  it.each(LOOKALIKES)('%s: its own key, not "SN-1"', (_name, serial) => {
    expect(normSerial(serial)).not.toBe(VICTIM);
    expect(serialKey(serial)).not.toBe(VICTIM);
    expect(sameSerial(serial, VICTIM)).toBe(false);
  });

  it.each(LOOKALIKES)(
    "%s: an Intune record enrolled under it later does not become the victim's Intune record",
    (_name, serial) => {
      // The victim's identity joins its Intune record by serial (no Intune id yet); the hostile record checked in
      // later, and "the row that checked in last" per key was the hostile one.
      const victim = identity({ managedDeviceId: null, azureAdDeviceId: null });
      const own = managedDevice({ id: 'md-victim', azureAdDeviceId: 'aad-victim', lastSyncAt: NOW - 5 * HOUR });
      const hostile = managedDevice({
        id: 'md-evil',
        serialNumber: serial,
        azureAdDeviceId: 'aad-evil',
        lastSyncAt: NOW - HOUR,
      });
      const L = lookup(snapshot({ identities: [victim], managedDevices: [own, hostile] }));
      expect(managedForIdentity(L, victim)?.id).toBe('md-victim');
      expect(L.managedByKey.get(VICTIM)?.id).toBe('md-victim');
    },
  );

  it.each(LOOKALIKES)(
    '%s: blocked beside the blocked victim, each is unblocked under its own key and serial',
    (_name, serial) => {
      // The remedy's serial becomes the worker's history key (serialKey): trimmed as the key is, or the hostile
      // device's unblock would be counted against the victim's cooldown and attempts per day.
      const victim = identity({ userlessEnrollmentStatus: 'blocked' });
      const hostile = identity({
        id: 'ap-evil',
        serialNumber: serial,
        userlessEnrollmentStatus: 'blocked',
        azureAdDeviceId: 'aad-evil',
        managedDeviceId: null,
      });
      const { findings } = detectAll(snapshot({ identities: [victim, hostile] }), NOW, defaultDetectorRules);
      const unblock = findings.filter((f) => f.remedy?.action === 'allow-next-enrollment');
      expect(unblock).toHaveLength(2);
      for (const f of unblock) {
        const target = f.remedy as { autopilotId: string; serialNumber: string };
        expect(serialKey(target.serialNumber)).toBe(f.subject.key);
        expect(f.subject.kind === 'device' && f.subject.serialNumber).toBe(target.serialNumber);
      }
      const evil = unblock.find((f) => (f.remedy as { autopilotId: string }).autopilotId === 'ap-evil');
      expect(evil?.subject.key).toBe(normSerial(serial));
      expect(evil?.subject.key).not.toBe(VICTIM);
    },
  );

  it.each(LOOKALIKES)(
    '%s: an Autopilot record imported under it does not stop the blocked victim being unblocked',
    (_name, serial) => {
      // Two records of one key are a duplicate registration: no automatic unblock, and AP_DUPLICATE_SERIAL tells the
      // operator to deregister the stale record, one of which is the victim's.
      const victim = identity({ userlessEnrollmentStatus: 'blocked' });
      const hostile = identity({
        id: 'ap-evil',
        serialNumber: serial,
        azureAdDeviceId: 'aad-evil',
        managedDeviceId: null,
      });
      const { findings } = detectAll(snapshot({ identities: [victim, hostile] }), NOW, defaultDetectorRules);
      expect(findings.filter((f) => f.code === 'AP_DUPLICATE_SERIAL')).toEqual([]);
      const unblock = findings.filter((f) => f.remedy?.action === 'allow-next-enrollment');
      expect(unblock.map((f) => [f.subject.key, f.remedy])).toEqual([
        [VICTIM, { action: 'allow-next-enrollment', autopilotId: 'ap-1', serialNumber: VICTIM }],
      ]);
    },
  );
});

/** Strings whose letters and blanks toUpperCase and trim treat differently from ASCII. */
const HOSTILE_PARTS = [
  'ſ',
  'ı',
  'ß',
  'ﬁ',
  'ǆ',
  'ǅ',
  'é',
  'É',
  'ÿ',
  'µ',
  'ŉ',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u200d',
  'Ｓ',
  'ｓ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  ' ',
  's',
  'S',
  'n',
  'N',
  'i',
  'I',
  '-',
  '1',
  '😀',
];

function hostileStrings(): string[] {
  // Deterministic: every part alone and around "sn-1", every ordered pair, and a few long ones.
  const out = new Set<string>(['', ' ', '\t \r\n', 'SN-1', 'sn-1', ' sn-1\t']);
  for (const p of HOSTILE_PARTS) {
    out.add(p);
    for (const t of [`${p}n-1`, `s${p}-1`, `sn-1${p}`, `${p}sn-1`, `${p}SN-1${p}`]) out.add(t);
    for (const q of HOSTILE_PARTS) out.add(p + q);
  }
  let seed = 7;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let n = 0; n < 40; n += 1) {
    let s = '';
    while (s.length < 600) s += HOSTILE_PARTS[next() % HOSTILE_PARTS.length];
    out.add(s);
    out.add(s.toUpperCase());
  }
  out.add('s'.repeat(600));
  out.add('S'.repeat(600));
  return [...out];
}

describe('normSerial and sameSerial agree', () => {
  const values = hostileStrings();

  it(`sameSerial(a, b) exactly when normSerial(a) === normSerial(b), over ${values.length} hostile strings`, () => {
    const keys = values.map((v) => normSerial(v) ?? '');
    let pairs = 0;
    for (const [i, a] of values.entries()) {
      for (const [j, b] of values.entries()) {
        // Over two million pairs: every equal pair is checked with sameSerial, and a sample of the others.
        const equal = keys[i] === keys[j];
        if (equal || (pairs += 1) % 97 === 0) expect(sameSerial(a, b)).toBe(equal);
      }
    }
  });

  it('only ASCII letters change case; ASCII blanks at either end are trimmed; nothing else changes', () => {
    for (const v of values) {
      const key = normSerial(v);
      const trimmed = v.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
      expect(trimSerial(v)).toBe(trimmed);
      expect(key).toBe(trimmed === '' ? null : trimmed.replace(/[a-z]/g, (c) => c.toUpperCase()));
      if (key !== null) expect(normSerial(key)).toBe(key); // a key is its own key
    }
  });

  it('an upper-case serial comes back as the very same string (the sweep allocates nothing for it)', () => {
    const s = `SN-${'X'.repeat(40)}`;
    expect(normSerial(s)).toBe(s);
    expect(normSerial(' \t')).toBeNull();
    expect(normSerial(null)).toBeNull();
    expect(normSerial(undefined)).toBeNull();
  });
});

describe('stored history keys of ASCII serials do not change', () => {
  it('every ASCII serial is keyed as trim().toUpperCase() keyed it before', () => {
    const samples = ['SN-1', 'sn-1', ' 5CG1234ABC ', '\tpf3xyz9\r\n', 'Serial With Spaces', 'a~!@#$%^&*()_+{}|:"<>?`'];
    let seed = 11;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let n = 0; n < 2_000; n += 1) {
      let s = '';
      const len = next() % 40;
      // Printable ASCII and the ASCII blanks.
      for (let i = 0; i < len; i += 1)
        s += String.fromCharCode(next() % 5 === 0 ? 9 + (next() % 5) : 32 + (next() % 95));
      samples.push(s);
    }
    for (const s of samples) {
      const before = s.trim().toUpperCase();
      expect(normSerial(s)).toBe(before === '' ? null : before);
    }
  });
});
