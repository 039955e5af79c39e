import type { EntraDevice } from '../model/index.js';
import { IdColumn, type IdIndex } from './id-column.js';
import { CodedColumn } from './text-column.js';
import { RecordTable } from './record-table.js';
import { FlagColumn, TimeColumn } from './time-column.js';

// The sweep's Entra devices as columns (see managed-table.ts for why): two packed ids, a creation time and a few
// shared names a device. Records are built on demand; compare rows, never records.

export class EntraTable extends RecordTable<EntraDevice> {
  private readonly objectIds = new IdColumn();
  private readonly deviceIds = new IdColumn();
  private readonly names: (string | null)[] = [];
  private readonly profiles = new CodedColumn<string>();
  private readonly trustTypes = new CodedColumn<string>();
  private readonly autopilot = new FlagColumn();
  private readonly created = new TimeColumn();
  private byDeviceId: IdIndex | null = null;

  protected push(d: EntraDevice): void {
    this.objectIds.push(d.objectId);
    this.deviceIds.push(d.deviceId);
    this.names.push(d.displayName);
    this.profiles.push(d.enrollmentProfileName);
    this.trustTypes.push(d.trustType);
    this.autopilot.push(d.isAutopilotRegistered);
    this.created.push(d.createdAt);
  }

  get length(): number {
    return this.names.length;
  }

  at(row: number): EntraDevice {
    return {
      objectId: this.objectIds.get(row) as string,
      deviceId: this.deviceIds.get(row) as string,
      displayName: this.names[row] ?? null,
      enrollmentProfileName: this.profiles.get(row),
      isAutopilotRegistered: this.autopilot.get(row),
      trustType: this.trustTypes.get(row),
      createdAt: this.created.get(row),
    };
  }

  /** The row of a deviceId (as `normId` gives it), or -1. The first record of an id wins. */
  rowByDeviceId(deviceId: string): number {
    return this.index().row(deviceId);
  }

  /** rowByDeviceId for the id in row `row` of another table's column (IdIndex.rowFor): no string is built for it. */
  rowByDeviceIdIn(column: IdColumn, row: number): number {
    return this.index().rowFor(column, row);
  }

  private index(): IdIndex {
    if (this.byDeviceId === null) {
      this.seal();
      this.byDeviceId = this.deviceIds.index();
    }
    return this.byDeviceId;
  }
}
