import type {
  AutopilotDevice,
  EnrollmentState,
  ProfileAssignmentStatus,
  RemediationState,
  UserlessEnrollmentStatus,
} from '../model/index.js';
import { normSerial } from './device-keys.js';
import { IdColumn, type IdIndex } from './id-column.js';
import { CodedColumn, KeyIndex } from './text-column.js';
import { RecordTable } from './record-table.js';
import { TimeColumn } from './time-column.js';

// A sweep's Autopilot identities as columns (see managed-table.ts for why): three packed ids, coded states and hardware
// names, typed timestamps, and the few strings unique to a device (serial, name, user). As records they were the
// largest thing a 300,000-device sweep held: ~130 MB of its heap when detection was done (objects 49 MB, their three
// GUID strings 48 MB, boxed timestamps 9 MB). Records are built on each read: compare rows, never records.

interface Indexes {
  readonly byKey: KeyIndex;
  readonly byAadId: IdIndex;
  readonly byManagedId: IdIndex;
}

export class IdentityTable extends RecordTable<AutopilotDevice> {
  private readonly ids = new IdColumn();
  private readonly serials: string[] = [];
  /** The device key of each row (identityKey: serial trimmed and upper-cased, else the id); the serial itself when that changes nothing. */
  private readonly keys: string[] = [];
  private readonly manufacturers = new CodedColumn<string>();
  private readonly models = new CodedColumn<string>();
  private readonly groupTags = new CodedColumn<string>();
  private readonly names: (string | null)[] = [];
  private readonly enrollment = new CodedColumn<EnrollmentState>();
  private readonly userless = new CodedColumn<UserlessEnrollmentStatus>();
  private readonly remediation = new CodedColumn<RemediationState>();
  private readonly remediationAt = new TimeColumn();
  private readonly profile = new CodedColumn<ProfileAssignmentStatus>();
  private readonly profileAt = new TimeColumn();
  private readonly contactedAt = new TimeColumn();
  /** The Entra deviceIds and Intune ids, for the joins of other tables (`ManagedTable.rowByIdIn`, …). */
  readonly aadIds = new IdColumn();
  readonly managedIds = new IdColumn();
  private readonly users: (string | null)[] = [];
  private built: Indexes | null = null;

  protected push(i: AutopilotDevice): void {
    this.ids.push(i.id);
    this.serials.push(i.serialNumber);
    const serialKey = normSerial(i.serialNumber);
    this.keys.push(serialKey === null ? i.id : serialKey === i.serialNumber ? i.serialNumber : serialKey);
    this.manufacturers.push(i.manufacturer);
    this.models.push(i.model);
    this.groupTags.push(i.groupTag);
    this.names.push(i.displayName);
    this.enrollment.push(i.enrollmentState);
    this.userless.push(i.userlessEnrollmentStatus);
    this.remediation.push(i.remediationState);
    this.remediationAt.push(i.remediationStateLastModifiedAt);
    this.profile.push(i.profileAssignmentStatus);
    this.profileAt.push(i.profileAssignedAt);
    this.contactedAt.push(i.lastContactedAt);
    this.aadIds.push(i.azureAdDeviceId);
    this.managedIds.push(i.managedDeviceId);
    this.users.push(i.userPrincipalName);
  }

  get length(): number {
    return this.serials.length;
  }

  at(row: number): AutopilotDevice {
    return {
      id: this.id(row),
      serialNumber: this.serialNumber(row),
      manufacturer: this.manufacturer(row),
      model: this.models.get(row),
      groupTag: this.groupTags.get(row),
      displayName: this.names[row] ?? null,
      enrollmentState: this.enrollmentState(row),
      userlessEnrollmentStatus: this.userlessEnrollmentStatus(row),
      remediationState: this.remediationState(row),
      remediationStateLastModifiedAt: this.remediationAt.get(row),
      profileAssignmentStatus: this.profileAssignmentStatus(row),
      profileAssignedAt: this.profileAt.get(row),
      lastContactedAt: this.lastContactedAt(row),
      azureAdDeviceId: this.azureAdDeviceId(row),
      managedDeviceId: this.managedDeviceId(row),
      userPrincipalName: this.users[row] ?? null,
    };
  }

  // Single fields, for the passes over every row (detectors, report figures, the comparisons of capped lists): build a
  // record (`at`) only for a row that has a finding or is shown.
  id(row: number): string {
    return this.ids.get(row) as string;
  }

  serialNumber(row: number): string {
    return this.serials[row] as string;
  }

  manufacturer(row: number): string | null {
    return this.manufacturers.get(row);
  }

  enrollmentState(row: number): EnrollmentState {
    return this.enrollment.get(row) as EnrollmentState;
  }

  userlessEnrollmentStatus(row: number): UserlessEnrollmentStatus {
    return this.userless.get(row) as UserlessEnrollmentStatus;
  }

  remediationState(row: number): RemediationState {
    return this.remediation.get(row) as RemediationState;
  }

  profileAssignmentStatus(row: number): ProfileAssignmentStatus {
    return this.profile.get(row) as ProfileAssignmentStatus;
  }

  lastContactedAt(row: number): number | null {
    return this.contactedAt.get(row);
  }

  azureAdDeviceId(row: number): string | null {
    return this.aadIds.get(row);
  }

  managedDeviceId(row: number): string | null {
    return this.managedIds.get(row);
  }

  /** The device key of a row (identityKey of its record), without building the record. */
  key(row: number): string {
    return this.keys[row] as string;
  }

  /** The first row of a device key, or -1. */
  rowByKey(key: string): number {
    return this.indexes().byKey.row(key);
  }

  /** The first row of an Entra deviceId (as `normId` gives it), or -1. */
  rowByAadId(aad: string): number {
    return this.indexes().byAadId.row(aad);
  }

  /** The first row of an Intune id (as `normId` gives it), or -1. */
  rowByManagedId(id: string): number {
    return this.indexes().byManagedId.row(id);
  }

  private indexes(): Indexes {
    if (this.built) return this.built;
    this.seal();
    this.built = {
      byKey: new KeyIndex(this.keys),
      byAadId: this.aadIds.index(),
      byManagedId: this.managedIds.index(),
    };
    return this.built;
  }
}
