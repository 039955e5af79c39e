import { DEPLOYMENT_ENTRIES } from './deployment.js';
import { DEVICE_PREP_ENTRIES } from './device-prep.js';
import { ENROLLMENT_ERROR_ENTRIES } from './enrollment-errors.js';
import { IMPORT_ENTRIES } from './imports.js';
import { LIFECYCLE_ENTRIES } from './lifecycle.js';
import { PREPROVISIONING_ENTRIES } from './preprovisioning.js';
import { REGISTRATION_ENTRIES } from './registration.js';
import { RECORD_ENTRIES } from './records.js';
import type { CatalogEntry } from './types.js';

export { CODES, type FindingCode } from './codes.js';
export type { CatalogEntry } from './types.js';
export { LEARN, cite, citationText, type Citation, type LearnPage } from './learn.js';

/**
 * Every data-detectable failure mode, one entry per code. The single source of titles, fixes and documentation
 * for alerts and reports; frozen so nothing downstream edits a fix text in place.
 */
export const CATALOG: readonly CatalogEntry[] = Object.freeze(
  [
    ...DEPLOYMENT_ENTRIES,
    ...ENROLLMENT_ERROR_ENTRIES,
    ...PREPROVISIONING_ENTRIES,
    ...REGISTRATION_ENTRIES,
    ...IMPORT_ENTRIES,
    ...DEVICE_PREP_ENTRIES,
    ...LIFECYCLE_ENTRIES,
    ...RECORD_ENTRIES,
  ].map((e) => Object.freeze({ ...e })),
);

const BY_CODE: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((e) => [e.code, e]));

/** The entry for a code, or null for a code the catalog does not know (e.g. one from a newer version). */
export function catalogEntry(code: string): CatalogEntry | null {
  return BY_CODE.get(code) ?? null;
}
