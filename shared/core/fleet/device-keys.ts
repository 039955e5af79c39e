// How records of one device are matched across Graph collections. Device keys are serial numbers trimmed and
// upper-cased (the same device arrives with different casing from different collections); ids are lower-cased GUIDs.

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export function normSerial(serial: string | null | undefined): string | null {
  const s = serial?.trim().toUpperCase() ?? '';
  return s === '' ? null : s;
}

/** Graph sends the all-zero GUID for "none" in several id fields. */
export function normId(id: string | null | undefined): string | null {
  const s = id?.trim().toLowerCase() ?? '';
  return s === '' || s === ZERO_GUID ? null : s;
}
