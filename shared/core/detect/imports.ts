import { CODES, type FindingCode } from '../catalog/codes.js';
import type { Finding, ImportedDevice, TenantSnapshot } from '../model/index.js';
import { deviceSubject, makeFinding, TENANT } from './finding.js';
import { lookup, normSerial } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Hardware-hash imports and the tenant sync. Error names drift between documents ("Manually register devices with
// Windows Autopilot" › Troubleshooting registration failures, https://learn.microsoft.com/autopilot/add-devices, and
// "Windows Autopilot: What's new" › Updates to error message for manual device uploads), so they are matched
// case-insensitively and by numeric code where one is documented (808, 819).
//
// Import time: Microsoft Graph's importedWindowsAutopilotDeviceIdentity carries no timestamp at all (Microsoft Graph
// beta reference "importedWindowsAutopilotDeviceIdentity resource type" › Properties,
// https://learn.microsoft.com/graph/api/resources/intune-enrollment-importedwindowsautopilotdeviceidentity?view=graph-rest-beta).
// So the import time is the first run that saw the completed import while its device was not yet visible; the open
// AP_IMPORT_NOT_VISIBLE finding keeps that sighting (snapshot.memory.importSightings). Until IMPORT_VISIBLE_MINUTES
// have passed since then the finding is informational and asks for nothing; after that it asks for the sync.

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

/**
 * The row of a serial that decides its state. With no timestamps to order them by, a successful import (complete, or
 * already registered to this tenant) supersedes failed attempts; otherwise the last row listed counts.
 */
function deciding(rows: readonly ImportedDevice[]): ImportedDevice | undefined {
  return rows.find((r) => classifyImport(r) === 'registered') ?? rows.at(-1);
}

/** When this run first saw the completed import of `key` without its device: remembered, else now. */
function firstSeen(snapshot: TenantSnapshot, key: string, now: number): number {
  const remembered = (snapshot.memory?.importSightings ?? [])
    .filter((m) => normSerial(m.serialNumber) === key)
    .map((m) => m.firstSeenAt);
  return remembered.length > 0 ? Math.min(...remembered) : now;
}

export function detectImports(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const out: Finding[] = [];
  for (const [key, rows] of L.importsByKey) {
    const imp = deciding(rows);
    if (!imp) continue;
    const verdict = classifyImport(imp);
    if (verdict === null) continue;
    const identity = L.identityByKey.get(key);
    const subject = deviceSubject(key, imp.serialNumber, identity?.id ?? null);
    const evidence = {
      importId: imp.id,
      serialNumber: imp.serialNumber,
      importStatus: imp.status,
      errorName: imp.errorName,
      errorCode: imp.errorCode,
    };
    if (verdict !== 'registered') {
      const errorName = imp.errorName?.trim().toLowerCase() ?? null;
      out.push(makeFinding({ code: verdict, subject, evidence, defining: { errorName, errorCode: imp.errorCode } }));
      continue;
    }
    // "Not visible" needs proof of absence: a full identity read, or an exact lookup of this serial.
    const absenceKnown = snapshot.complete.identities || L.queriedSerials.has(key);
    if (!absenceKnown || identity) continue;
    const seenAt = firstSeen(snapshot, key, now);
    const overdue = now - seenAt > rules.importVisibleMs;
    out.push(
      makeFinding({
        code: CODES.AP_IMPORT_NOT_VISIBLE,
        subject,
        // Informational while the device may still appear by itself; the sync is asked for only once overdue.
        severity: overdue ? 'warning' : 'info',
        evidence: { ...evidence, importSeenAt: seenAt },
        remedy: overdue ? { action: 'autopilot-sync' } : null,
      }),
    );
  }
  if (snapshot.settings?.syncStatus === 'failed') {
    const s = snapshot.settings;
    out.push(
      makeFinding({
        code: CODES.AP_SYNC_FAILED,
        subject: TENANT,
        evidence: {
          syncStatus: s.syncStatus,
          lastSyncAt: s.lastSyncAt,
          lastManualSyncTriggerAt: s.lastManualSyncTriggerAt,
        },
        remedy: { action: 'autopilot-sync' },
      }),
    );
  }
  return out;
}
