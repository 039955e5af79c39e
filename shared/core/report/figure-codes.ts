import { catalogEntry, CODES } from '../catalog/index.js';
import type { ProfileAssignmentStatus } from '../model/index.js';

// Which catalog entry explains each device list, so the dashboard can say what to do next to the devices.
// Codes, not copies of the fix text: the catalog stays the single source of fixes.

export type FigureKey =
  | 'blocked'
  | 'attentionRequired'
  | 'fixPending'
  | 'stale'
  | 'neverEnrolled'
  | 'orphaned'
  | 'duplicateSerials'
  | 'noncompliant'
  | 'notCheckedIn';

const FIGURE_CODES: Readonly<Record<FigureKey, readonly string[]>> = {
  blocked: [CODES.AP_USERLESS_BLOCKED],
  attentionRequired: [CODES.AP_ATTENTION_REQUIRED],
  fixPending: [CODES.AP_FIX_PENDING],
  stale: [CODES.AP_REGISTRATION_STALE],
  neverEnrolled: [CODES.AP_REGISTERED_NEVER_ENROLLED],
  orphaned: [CODES.AP_ENTRA_OBJECT_MISSING, CODES.AP_MANAGED_DEVICE_MISSING],
  duplicateSerials: [CODES.AP_DUPLICATE_SERIAL],
  noncompliant: [CODES.AP_MANAGED_NONCOMPLIANT],
  notCheckedIn: [CODES.AP_MANAGED_CHECKIN_STALE],
};

const PROFILE_CODES: Partial<Readonly<Record<ProfileAssignmentStatus, string>>> = {
  notAssigned: CODES.AP_PROFILE_NOT_ASSIGNED,
  pending: CODES.AP_PROFILE_ASSIGNMENT_STUCK,
  assignedOutOfSync: CODES.AP_PROFILE_OUT_OF_SYNC,
  failed: CODES.AP_PROFILE_ASSIGNMENT_FAILED,
};

export type FigureFix = { readonly code: string; readonly title: string; readonly fix: string };

function fixes(codes: readonly string[]): FigureFix[] {
  return codes.flatMap((code) => {
    const e = catalogEntry(code);
    return e === null ? [] : [{ code, title: e.title, fix: e.fix }];
  });
}

export function figureFixes(key: FigureKey): FigureFix[] {
  return fixes(FIGURE_CODES[key]);
}

export function profileFixes(status: ProfileAssignmentStatus): FigureFix[] {
  const code = PROFILE_CODES[status];
  return code === undefined ? [] : fixes([code]);
}
