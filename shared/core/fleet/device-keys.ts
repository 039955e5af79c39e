// How records of one device are matched across Graph collections. Device keys are serial numbers trimmed and
// upper-cased (the same device arrives with different casing from different collections); ids are lower-cased GUIDs.

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export function normSerial(serial: string | null | undefined): string | null {
  const s = serial?.trim().toUpperCase() ?? '';
  return s === '' ? null : s;
}

/**
 * Do two reads of a serial number name the same device, for a check before a write (is this record still the
 * approved device's, is this failure the device's own)? Trimmed as normSerial trims (the poll's remedies carry the
 * trimmed serial), ASCII letters in either case (the same device arrives with different casing from different
 * collections), every other character exactly. Not normSerial's comparison: toUpperCase maps distinct characters onto
 * ASCII letters (ſ → S, ı → I, ß → SS, ﬁ → FI), and whoever enrolls a device chooses its serial, so "ſN-1" would pass
 * for "SN-1".
 */
export function sameSerial(a: string, b: string): boolean {
  const fold = (s: string): string => s.trim().replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  return fold(a) === fold(b);
}

/** Graph sends the all-zero GUID for "none" in several id fields. */
export function normId(id: string | null | undefined): string | null {
  const s = id?.trim().toLowerCase() ?? '';
  return s === '' || s === ZERO_GUID ? null : s;
}
