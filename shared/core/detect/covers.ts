import { CODES, type FindingCode } from '../catalog/codes.js';
import type { TenantSnapshot } from '../model/index.js';
import { entraDeviceKey } from './device-prep-groups.js';
import { deploymentKey } from './device-prep-deployments.js';
import { lookup, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';
import { unusableRecordCovered } from './unusable-records.js';

// covers(code, subjectKey): "did this run look at enough to say this problem is ABSENT now?" The poll use case
// resolves an open finding only when it is absent and covered, so every answer here must be conservative:
// true only when the detector for `code` actually evaluated `subjectKey` with complete inputs.

type Category =
  | 'identity'
  | 'block'
  | 'event'
  | 'import'
  | 'import-visible'
  | 'tenant-sync'
  | 'dp-group'
  | 'dp-tenant'
  | 'dp-member'
  | 'dp-coexist'
  | 'dp-deployment'
  | 'dp-items'
  | 'dp-export'
  | 'preprov-pending'
  | 'sweep-identities'
  | 'sweep-entra'
  | 'sweep-managed'
  | 'unusable-record';

const C = CODES;
/** Exhaustive by type: a new code does not compile until its coverage is decided. */
export const COVERAGE: Readonly<Record<FindingCode, Category>> = {
  [C.AP_DEPLOYMENT_FAILED]: 'event',
  [C.AP_DEPLOYMENT_FAILED_UNCONFIRMED]: 'event',
  [C.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT]: 'event',
  [C.AP_DEPLOYMENT_STUCK]: 'event',
  [C.AP_DEPLOYMENT_NO_RESULT]: 'event',
  [C.AP_DEPLOYMENT_RECOVERED]: 'event',
  [C.AP_PREPROV_FAILED]: 'event',
  [C.AP_ONE_TIME_ENROLLMENT_BLOCK]: 'event',
  [C.AP_PREPROV_NOT_ALLOWED]: 'event',
  [C.AP_TPM_ATTESTATION_FAILED]: 'event',
  [C.AP_TPM_ATTESTATION_RETRY_EXCEEDED]: 'event',
  [C.AP_TPM_WIN11_ATTESTATION_UPDATE]: 'event',
  [C.AP_TPM_VULNERABLE_FIRMWARE]: 'event',
  [C.AP_TPM_AMD_FTPM_FIRMWARE]: 'event',
  [C.AP_DEPLOYMENT_TIMEOUT]: 'event',
  [C.AP_MULTIPLE_MDM_CONFIGS]: 'event',
  [C.AP_ENTRA_OBJECT_DELETED]: 'event',
  [C.AP_USER_DEVICE_LIMIT]: 'event',
  [C.AP_USER_LICENSE_OR_LIMIT]: 'event',
  [C.AP_USERLESS_ON_VIRTUAL_MACHINE]: 'event',
  [C.AP_PREPROV_USER_FLOW_PENDING]: 'preprov-pending',
  [C.AP_PREPROV_USER_FLOW_TOO_SOON]: 'sweep-identities',
  [C.AP_USERLESS_BLOCKED]: 'block',
  [C.AP_USERLESS_BLOCKED_HW_CHANGE]: 'block',
  [C.AP_PROFILE_NOT_ASSIGNED]: 'identity',
  [C.AP_PROFILE_ASSIGNMENT_STUCK]: 'identity',
  [C.AP_PROFILE_OUT_OF_SYNC]: 'identity',
  [C.AP_PROFILE_ASSIGNMENT_FAILED]: 'identity',
  [C.AP_FIX_PENDING]: 'identity',
  [C.AP_ATTENTION_REQUIRED]: 'identity',
  [C.AP_IMPORT_NOT_VISIBLE]: 'import-visible',
  [C.AP_IMPORT_OTHER_TENANT]: 'import',
  [C.AP_IMPORT_DUPLICATE_IN_CSV]: 'import',
  [C.AP_IMPORT_INVALID_HASH]: 'import',
  [C.AP_IMPORT_STORAGE_ERROR]: 'import',
  [C.AP_IMPORT_FAILED]: 'import',
  [C.AP_SYNC_FAILED]: 'tenant-sync',
  [C.DP_GROUP_MISSING]: 'dp-group',
  [C.DP_GROUP_DYNAMIC]: 'dp-group',
  [C.DP_GROUP_ROLE_ASSIGNABLE]: 'dp-group',
  [C.DP_GROUP_NOT_SECURITY]: 'dp-group',
  [C.DP_GROUP_OWNER_MISSING]: 'dp-group',
  [C.DP_POLICY_TARGET_MISMATCH]: 'dp-group',
  [C.DP_POLICY_TARGET_UNVERIFIED]: 'dp-group',
  [C.DP_PROVISIONING_CLIENT_MISSING]: 'dp-tenant',
  [C.DP_DEVICE_NOT_IN_GROUP]: 'dp-member',
  [C.DP_TARGET_AUTOPILOT_REGISTERED]: 'dp-coexist',
  [C.DP_DEPLOYMENT_FAILED]: 'dp-deployment',
  [C.DP_DEPLOYMENT_STUCK_AT_100]: 'dp-items',
  [C.DP_APP_SKIPPED]: 'dp-items',
  [C.DP_SCRIPT_SKIPPED]: 'dp-items',
  [C.DP_REPORT_EXPORT_FAILED]: 'dp-export',
  [C.AP_REGISTRATION_STALE]: 'sweep-managed',
  [C.AP_REGISTERED_NEVER_ENROLLED]: 'sweep-managed',
  [C.AP_ENTRA_OBJECT_MISSING]: 'sweep-entra',
  [C.AP_MANAGED_DEVICE_MISSING]: 'sweep-managed',
  [C.AP_DUPLICATE_SERIAL]: 'sweep-identities',
  [C.AP_MANAGED_NONCOMPLIANT]: 'sweep-managed',
  [C.AP_MANAGED_CHECKIN_STALE]: 'sweep-managed',
  [C.AP_TENANT_RECORD_UNUSABLE]: 'unusable-record',
};

function isCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(COVERAGE, code);
}

export function coverage(s: TenantSnapshot, rules: DetectorRules): (code: string, subjectKey: string) => boolean {
  const L: Lookup = lookup(s);
  const lower = (id: string): string => id.trim().toLowerCase();
  const configured = new Set(rules.devicePrepGroups.map((g) => lower(g.groupId)));
  const read = new Set(s.devicePrepGroups.map((g) => lower(g.groupId)).filter((id) => configured.has(id)));
  const allGroupsRead = [...configured].every((id) => read.has(id));
  const candidateKeys = new Set(
    s.devicePrepGroups
      .filter((g) => read.has(lower(g.groupId)))
      .flatMap((g) => g.candidates.map((d) => entraDeviceKey(L, d).key)),
  );
  const rowKeys = new Set(s.devicePrepDeployments.map((d) => deploymentKey(L, d)).filter((k) => k !== null));
  const full = s.kind === 'full';
  const identitySeen = (k: string): boolean =>
    s.complete.identities || L.identityByKey.has(k) || L.queriedSerials.has(k);
  const importSeen = (k: string): boolean => s.complete.imports || L.importsByKey.has(k);

  const byCategory: Record<Category, (k: string) => boolean> = {
    identity: identitySeen,
    block: (k) => s.complete.blockedIdentities || identitySeen(k),
    event: (k) => s.complete.events === true || L.eventsByKey.has(k),
    import: importSeen,
    'import-visible': (k) =>
      L.identityByKey.has(k) ||
      (importSeen(k) && (s.complete.identities || L.queriedSerials.has(k))) ||
      (s.complete.imports && !L.importsByKey.has(k)),
    'tenant-sync': () => s.settings !== null,
    'dp-group': (k) => read.has(lower(k)) || !configured.has(lower(k)),
    'dp-tenant': () => allGroupsRead,
    'dp-member': (k) => allGroupsRead || candidateKeys.has(k),
    'dp-coexist': (k) =>
      (allGroupsRead || candidateKeys.has(k)) &&
      (s.complete.devicePrepDeployments || rowKeys.has(k)) &&
      identitySeen(k),
    'dp-deployment': (k) => s.complete.devicePrepDeployments || rowKeys.has(k),
    // Skipped items and "stuck at 100%" read the deployment rows AND both detail exports: all three in full.
    'dp-items': () => s.complete.devicePrepDeployments && s.complete.devicePrepItems === true,
    // Only a run that tried the exports can say they work again.
    'dp-export': () => s.reportExports?.attempted === true,
    // Same inputs the pending detector needs to see a user flow, a redeployment or a deleted Intune record.
    'preprov-pending': (k) =>
      L.identityByKey.has(k) || L.managedByKey.has(k) || s.complete.managedDevices || L.eventsByKey.has(k),
    'sweep-identities': () => full && s.complete.identities,
    'sweep-entra': () => full && s.complete.identities && s.complete.entraDevices,
    'sweep-managed': () => full && s.complete.identities && s.complete.managedDevices,
    'unusable-record': (k) => unusableRecordCovered(s, k),
  };
  return (code, subjectKey) => isCode(code) && byCategory[COVERAGE[code]](subjectKey);
}
