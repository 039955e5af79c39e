// How records of one device are matched across Graph collections. Device keys are serial numbers with ASCII blanks
// trimmed and ASCII letters upper-cased (the same device arrives with different casing from different collections);
// ids are lower-cased GUIDs.

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** TAB, LF, VT, FF, CR and space: the ASCII characters String.prototype.trim strips, and the only ones trimSerial does. */
const isAsciiBlank = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * `serial` without leading and trailing ASCII blanks (a BIOS or a CSV pads serials with them). Not
 * String.prototype.trim: it strips Unicode spaces too (NBSP, U+3000, U+2028…), and whoever enrolls or imports a
 * device chooses its serial, so "SN-1\u00a0" would be trimmed into another device's "SN-1". Every serial the product
 * carries (a finding's subject, a remedy's target, a history filter) is trimmed by this, so it agrees with normSerial.
 */
export function trimSerial(serial: string): string {
  let start = 0;
  let end = serial.length;
  while (start < end && isAsciiBlank(serial.charCodeAt(start))) start += 1;
  while (end > start && isAsciiBlank(serial.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === serial.length ? serial : serial.slice(start, end);
}

/**
 * The device key of a serial number, or null when it is blank: trimmed as trimSerial trims, ASCII letters a–z
 * upper-cased, every other character kept exactly. Not toUpperCase: it maps distinct characters onto ASCII letters
 * (ſ → S, ı → I, ß → SS, ﬁ → FI), so a hostile "ſN-1" was keyed as the device "SN-1" and joined to its Intune and
 * Entra records and shared its history (cooldown, attempts per day, unblock evidence). The key of a serial whose
 * letters are all ASCII is what toUpperCase gave (stored history keys stay valid); only serials with other letters
 * (ſ, ı, ß, ǆ, é, full-width…) or Unicode blanks at either end are keyed differently from before.
 *
 * Runs for every record of every collection in a sweep: one pass over the characters, no regular expression, and
 * the very same string back when nothing changes (the usual upper-case serial).
 */
export function normSerial(serial: string | null | undefined): string | null {
  if (serial === null || serial === undefined) return null;
  const s = trimSerial(serial);
  if (s === '') return null;
  let firstLower = -1;
  let ascii = true;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      if (firstLower < 0) firstLower = i;
    } else if (c > 0x7f) ascii = false;
  }
  if (firstLower < 0) return s;
  // All ASCII: toUpperCase maps exactly a–z there, natively.
  if (ascii) return s.toUpperCase();
  let out = '';
  let from = firstLower;
  for (let i = firstLower; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      out += s.slice(from, i) + String.fromCharCode(c - 0x20);
      from = i + 1;
    }
  }
  return s.slice(0, firstLower) + out + s.slice(from);
}

/**
 * Do two reads of a serial number name the same device, for a check before a write (is this record still the
 * approved device's, is this failure the device's own)? Exactly when their device keys are equal (normSerial: ASCII
 * blanks trimmed, ASCII letters in either case, every other character exactly), two blank serials alike. The check
 * and the keys agree, so a record that passes the check is the one whose history the write is counted in.
 */
export function sameSerial(a: string, b: string): boolean {
  return (normSerial(a) ?? '') === (normSerial(b) ?? '');
}

/** Graph sends the all-zero GUID for "none" in several id fields. */
export function normId(id: string | null | undefined): string | null {
  const s = id?.trim().toLowerCase() ?? '';
  return s === '' || s === ZERO_GUID ? null : s;
}
