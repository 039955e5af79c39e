import { CODES, type FindingCode } from '../catalog/codes.js';
import type {
  AutopilotDevice,
  AutopilotEvent,
  DevicePrepDeployment,
  Finding,
  ImportedDevice,
  ManagedDevice,
  RecordCollection,
  TenantSnapshot,
  UnusableRecord,
} from '../model/index.js';
import { serialProblem, visibleText } from '../tenant-text.js';
import { makeFinding } from './finding.js';
import type { DetectorRules } from './rules.js';

// A record whose serial number cannot be used (tenant-text.ts says why) is taken out of the snapshot before
// anything is decided or looked up, and reported as one finding of its own per record: the run goes on for
// every other device, and the record is neither acted on nor forgotten.

export const UNUSABLE_RECORD_CODES: readonly FindingCode[] = [CODES.AP_TENANT_RECORD_UNUSABLE];

/** Evidence shows at most this much of the offending value (escaped). */
const SHOWN_CHARS = 80;

export interface Screened<T> {
  readonly usable: T[];
  readonly unusable: UnusableRecord[];
}

/** Splits `records` into the usable ones and those whose serial number cannot be used. */
export function screenRecords<T>(
  collection: RecordCollection,
  records: readonly T[],
  serialOf: (record: T) => string | null,
  idOf: (record: T) => string = (r) => (r as { readonly id: string }).id,
): Screened<T> {
  const usable: T[] = [];
  const unusable: UnusableRecord[] = [];
  for (const record of records) {
    const serial = serialOf(record);
    const problem = serial === null ? null : serialProblem(serial);
    if (problem === null || serial === null) usable.push(record);
    else
      unusable.push({
        collection,
        recordId: idOf(record),
        field: 'serialNumber',
        problem,
        shown: visibleText(serial, SHOWN_CHARS),
      });
  }
  return { usable, unusable };
}

export const screenIdentities = (records: readonly AutopilotDevice[]): Screened<AutopilotDevice> =>
  screenRecords('windowsAutopilotDeviceIdentities', records, (d) => d.serialNumber);
export const screenEvents = (records: readonly AutopilotEvent[]): Screened<AutopilotEvent> =>
  screenRecords('autopilotEvents', records, (e) => e.serialNumber);
export const screenImports = (records: readonly ImportedDevice[]): Screened<ImportedDevice> =>
  screenRecords('importedWindowsAutopilotDeviceIdentities', records, (i) => i.serialNumber);
export const screenManagedDevices = (records: readonly ManagedDevice[]): Screened<ManagedDevice> =>
  screenRecords('managedDevices', records, (m) => m.serialNumber);
/** Report rows have no id of their own: the row's Intune device id names it. */
export const screenDeploymentRows = (records: readonly DevicePrepDeployment[]): Screened<DevicePrepDeployment> =>
  screenRecords(
    'AutopilotV2DeploymentStatus',
    records,
    (d) => d.serialNumber,
    (d) => d.intuneDeviceId ?? '',
  );

/** One record is reported once however often a run reads it (an identity may come from two reads). */
export function distinctUnusable(records: readonly UnusableRecord[]): UnusableRecord[] {
  const byKey = new Map<string, UnusableRecord>();
  for (const r of records) if (!byKey.has(unusableRecordKey(r))) byKey.set(unusableRecordKey(r), r);
  return [...byKey.values()];
}

const KEY_PREFIX = 'record:';

/** Subject key of an unusable record: its collection and id, so it stays apart from every device key. */
export function unusableRecordKey(r: Pick<UnusableRecord, 'collection' | 'recordId'>): string {
  return `${KEY_PREFIX}${r.collection}:${r.recordId.trim().toLowerCase()}`;
}

export function detectUnusableRecords(snapshot: TenantSnapshot, _now: number, _rules: DetectorRules): Finding[] {
  return distinctUnusable(snapshot.unusableRecords ?? []).map((r) =>
    makeFinding({
      code: CODES.AP_TENANT_RECORD_UNUSABLE,
      subject: {
        kind: 'device',
        key: unusableRecordKey(r),
        serialNumber: null,
        autopilotId: r.collection === 'windowsAutopilotDeviceIdentities' ? r.recordId : null,
      },
      evidence: {
        collection: r.collection,
        recordId: visibleText(r.recordId, SHOWN_CHARS),
        field: r.field,
        problem: r.problem,
        value: r.shown,
      },
      defining: { collection: r.collection, recordId: r.recordId, problem: r.problem },
    }),
  );
}

const COMPLETE: Readonly<Record<RecordCollection, (s: TenantSnapshot) => boolean>> = {
  windowsAutopilotDeviceIdentities: (s) => s.complete.identities,
  autopilotEvents: (s) => s.complete.events === true,
  importedWindowsAutopilotDeviceIdentities: (s) => s.complete.imports,
  managedDevices: (s) => s.complete.managedDevices,
  AutopilotV2DeploymentStatus: (s) => s.complete.devicePrepDeployments,
};

/**
 * Can this run say the record behind `subjectKey` is gone or repaired? Only when it read the record's whole
 * collection (an incremental poll reads blocked identities only), or when it saw the record unusable again.
 */
export function unusableRecordCovered(s: TenantSnapshot, subjectKey: string): boolean {
  if (!subjectKey.startsWith(KEY_PREFIX)) return false;
  if ((s.unusableRecords ?? []).some((r) => unusableRecordKey(r) === subjectKey)) return true;
  const collection = subjectKey.slice(KEY_PREFIX.length, subjectKey.indexOf(':', KEY_PREFIX.length));
  const complete = Object.prototype.hasOwnProperty.call(COMPLETE, collection)
    ? COMPLETE[collection as RecordCollection]
    : undefined;
  return complete !== undefined && complete(s);
}
