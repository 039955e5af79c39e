import { CODES, type FindingCode } from '../catalog/codes.js';
import type { Finding, ImportedDevice, TenantSnapshot } from '../model/index.js';
import { deviceSubject, makeFinding, TENANT } from './finding.js';
import { lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Hardware-hash imports and the tenant sync. Only the newest import row of a serial counts: a re-import that
// succeeded supersedes the failed one. Error names drift between documents (§9 item 10), so they are matched
// case-insensitively and by numeric code where one is documented (808, 819).

export const IMPORT_CODES: readonly FindingCode[] = [
  CODES.AP_IMPORT_NOT_VISIBLE,
  CODES.AP_IMPORT_OTHER_TENANT,
  CODES.AP_IMPORT_DUPLICATE_IN_CSV,
  CODES.AP_IMPORT_INVALID_HASH,
  CODES.AP_IMPORT_STORAGE_ERROR,
  CODES.AP_IMPORT_FAILED,
  CODES.AP_SYNC_FAILED,
];

type ImportVerdict = FindingCode | 'registered' | null;

export function classifyImport(imp: ImportedDevice): ImportVerdict {
  const name = (imp.errorName ?? '').toLowerCase().replace(/\s+/g, '');
  if (imp.errorCode === 808 || /^ztddeviceassignedto(an)?othertenant$/.test(name)) return CODES.AP_IMPORT_OTHER_TENANT;
  if (imp.errorCode === 819 || name === 'ztddeviceduplicated') return CODES.AP_IMPORT_DUPLICATE_IN_CSV;
  if (name === 'invalidztdhardwarehash') return CODES.AP_IMPORT_INVALID_HASH;
  if (name === 'storageerror') return CODES.AP_IMPORT_STORAGE_ERROR;
  // Already registered to THIS tenant: not a problem, and the device should be visible like any import.
  if (name === 'ztddevicealreadyassigned') return 'registered';
  if (imp.status === 'error') return CODES.AP_IMPORT_FAILED;
  return imp.status === 'complete' ? 'registered' : null;
}

function newest(rows: readonly ImportedDevice[]): ImportedDevice | undefined {
  return [...rows].sort((a, b) => (b.importedAt ?? 0) - (a.importedAt ?? 0))[0];
}

export function detectImports(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const out: Finding[] = [];
  for (const [key, rows] of L.importsByKey) {
    const imp = newest(rows);
    if (!imp) continue;
    const verdict = classifyImport(imp);
    if (verdict === null) continue;
    const identity = L.identitiesByKey.get(key)?.[0];
    const subject = deviceSubject(key, imp.serialNumber, identity?.id ?? null);
    const evidence = {
      importId: imp.id,
      serialNumber: imp.serialNumber,
      importStatus: imp.status,
      errorName: imp.errorName,
      errorCode: imp.errorCode,
      importedAt: imp.importedAt,
    };
    if (verdict !== 'registered') {
      const errorName = imp.errorName?.trim().toLowerCase() ?? null;
      out.push(makeFinding({ code: verdict, subject, evidence, defining: { errorName, errorCode: imp.errorCode } }));
      continue;
    }
    // "Not visible" needs proof of absence: a full identity read, or an exact lookup of this serial.
    const absenceKnown = snapshot.complete.identities || L.queriedSerials.has(key);
    // Graph carries no import timestamp on importedWindowsAutopilotDeviceIdentity, so usually importedAt is
    // null: a completed import whose device is still invisible then asks for a sync at once. That is the
    // documented next step after an import ("Sync, then Refresh"), and the governor paces it to one call
    // per 10 minutes, so nothing is lost by not waiting.
    const overdue = imp.importedAt === null || now - imp.importedAt > rules.importVisibleMs;
    if (absenceKnown && overdue && !identity) {
      out.push(makeFinding({ code: CODES.AP_IMPORT_NOT_VISIBLE, subject, evidence, remedy: { action: 'autopilot-sync' } }));
    }
  }
  if (snapshot.settings?.syncStatus === 'failed') {
    const s = snapshot.settings;
    out.push(
      makeFinding({
        code: CODES.AP_SYNC_FAILED,
        subject: TENANT,
        evidence: { syncStatus: s.syncStatus, lastSyncAt: s.lastSyncAt, lastManualSyncTriggerAt: s.lastManualSyncTriggerAt },
        remedy: { action: 'autopilot-sync' },
      }),
    );
  }
  return out;
}
