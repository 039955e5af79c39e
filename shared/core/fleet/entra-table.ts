import type { EntraDevice } from '../model/index.js';
import { IdColumn, type IdIndex } from './id-column.js';
import { CodedColumn } from './text-column.js';
import { FlagColumn, TimeColumn } from './time-column.js';

// The sweep's Entra devices as columns (see managed-table.ts for why): two packed ids, a creation time and a few
// shared names a device. Records are built on demand; compare rows, never records.

export class EntraTable implements Iterable<EntraDevice> {
  private readonly objectIds = new IdColumn();
  private readonly deviceIds = new IdColumn();
  private readonly names: (string | null)[] = [];
  private readonly profiles = new CodedColumn<string>();
  private readonly trustTypes = new CodedColumn<string>();
  private readonly autopilot = new FlagColumn();
  private readonly created = new TimeColumn();
  private byDeviceId: IdIndex | null = null;

  static from(records: Iterable<EntraDevice>): EntraTable {
    const table = new EntraTable();
    for (const d of records) table.add(d);
    return table;
  }

  add(d: EntraDevice): void {
    if (this.byDeviceId) throw new Error('EntraTable: rows cannot be added once it has been looked up');
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

  *[Symbol.iterator](): Iterator<EntraDevice> {
    for (let row = 0; row < this.length; row++) yield this.at(row);
  }

  /** The row of a deviceId (as `normId` gives it), or -1. The first record of an id wins. */
  rowByDeviceId(deviceId: string): number {
    this.byDeviceId ??= this.deviceIds.index();
    return this.byDeviceId.row(deviceId);
  }
}
