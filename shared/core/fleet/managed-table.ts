import type { ComplianceState, ManagedDevice } from '../model/index.js';
import { normSerial } from './device-keys.js';
import { IdColumn, type IdIndex } from './id-column.js';
import { CodedColumn, KeyIndex } from './text-column.js';
import { RecordTable } from './record-table.js';
import { FlagColumn, TimeColumn } from './time-column.js';

// Intune's managed devices of a sweep as columns, not objects: a 100,000-device fleet in ~15 MB instead of ~45 MB
// of records, strings and Map entries. A record is built when a detector asks for one (`at`) and is garbage as soon
// as it is read, so two reads of one row give two equal objects: compare rows, never records.

interface Indexes {
  readonly byId: IdIndex;
  readonly byAadId: IdIndex;
  readonly byKey: KeyIndex;
}

export class ManagedTable extends RecordTable<ManagedDevice> {
  private readonly ids = new IdColumn();
  private readonly aadIds = new IdColumn();
  private readonly serials: (string | null)[] = [];
  /** normSerial of each serial; the very same string when that changes nothing (most serials). */
  private readonly keys: (string | null)[] = [];
  private readonly names: (string | null)[] = [];
  private readonly compliance = new CodedColumn<ComplianceState>();
  private readonly profiles = new CodedColumn<string>();
  private readonly lastSync = new TimeColumn();
  private readonly enrolled = new TimeColumn();
  private readonly autopilot = new FlagColumn();
  private built: Indexes | null = null;

  protected push(m: ManagedDevice): void {
    this.ids.push(m.id);
    this.aadIds.push(m.azureAdDeviceId);
    this.serials.push(m.serialNumber);
    const key = normSerial(m.serialNumber);
    this.keys.push(key !== null && key === m.serialNumber ? m.serialNumber : key);
    this.names.push(m.deviceName);
    this.compliance.push(m.complianceState);
    this.profiles.push(m.enrollmentProfileName);
    this.lastSync.push(m.lastSyncAt);
    this.enrolled.push(m.enrolledAt);
    this.autopilot.push(m.autopilotEnrolled);
  }

  get length(): number {
    return this.serials.length;
  }

  at(row: number): ManagedDevice {
    return {
      id: this.ids.get(row) as string,
      deviceName: this.names[row] ?? null,
      serialNumber: this.serials[row] ?? null,
      azureAdDeviceId: this.aadIds.get(row),
      complianceState: this.compliance.get(row) as ComplianceState,
      lastSyncAt: this.lastSync.get(row),
      enrolledAt: this.enrolled.get(row),
      enrollmentProfileName: this.profiles.get(row),
      autopilotEnrolled: this.autopilot.get(row),
    };
  }

  // Single fields, for the passes over every row (detectors, report figures, the comparisons of capped lists): a
  // record per row and pass was a fifth of a 100,000-device sweep's allocations. Build one (`at`) only for a row shown
  // or reported.
  id(row: number): string {
    return this.ids.get(row) as string;
  }

  azureAdDeviceId(row: number): string | null {
    return this.aadIds.get(row);
  }

  complianceState(row: number): ComplianceState {
    return this.compliance.get(row) as ComplianceState;
  }

  autopilotEnrolled(row: number): boolean {
    return this.autopilot.get(row);
  }

  serialNumber(row: number): string | null {
    return this.serials[row] ?? null;
  }

  lastSyncAt(row: number): number | null {
    return this.lastSync.get(row);
  }

  /** The row of an Intune id (as `normId` gives it), or -1. The first record of an id wins. */
  rowById(id: string): number {
    return this.indexes().byId.row(id);
  }

  /** The row of an Entra deviceId (as `normId` gives it), or -1. */
  rowByAadId(aad: string): number {
    return this.indexes().byAadId.row(aad);
  }

  /** rowById for the id in row `row` of another table's column (IdIndex.rowFor): no string is built for it. */
  rowByIdIn(column: IdColumn, row: number): number {
    return this.indexes().byId.rowFor(column, row);
  }

  /** rowByAadId for the id in row `row` of another table's column (IdIndex.rowFor). */
  rowByAadIdIn(column: IdColumn, row: number): number {
    return this.indexes().byAadId.rowFor(column, row);
  }

  /** Per serial (as `normSerial` gives it), the row that checked in last: an older one is a leftover enrollment. */
  rowByKey(key: string): number {
    return this.indexes().byKey.row(key);
  }

  private indexes(): Indexes {
    if (this.built) return this.built;
    this.seal();
    this.built = {
      byId: this.ids.index(),
      byAadId: this.aadIds.index(),
      byKey: new KeyIndex(
        this.keys,
        (row, existing) => (this.lastSync.get(row) ?? 0) > (this.lastSync.get(existing) ?? 0),
      ),
    };
    return this.built;
  }
}
