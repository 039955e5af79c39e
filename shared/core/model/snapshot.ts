import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  DevicePrepGroupSnapshot,
  DevicePrepItemStatus,
  EntraDevice,
  ImportedDevice,
  ManagedDevice,
  ServicePrincipalRef,
} from './tenant.js';

/**
 * What one poll or sweep observed. `complete` says which collections were read in full: a detector may only
 * conclude "this problem is gone" for subjects it could see, so an incremental poll never resolves findings
 * that only a full read can confirm.
 */
export interface TenantSnapshot {
  readonly observedAt: number;
  readonly kind: 'incremental' | 'full';
  /**
   * Identities read in this run (full list on a sweep; the filtered "problem" lists on a poll): an array, or (from a
   * sweep's reads) a compact table of them.
   */
  readonly identities: RecordList<AutopilotDevice>;
  /** Deployment events read in this run (new since the watermark on a poll). */
  readonly events: readonly AutopilotEvent[];
  readonly settings: AutopilotSettings | null;
  readonly imports: readonly ImportedDevice[];
  readonly devicePrepGroups: readonly DevicePrepGroupSnapshot[];
  /** The Intune Provisioning Client service principal, or null if the tenant lacks it. */
  readonly provisioningClient: ServicePrincipalRef | null;
  /** The sweep's Entra devices: an array, or (from a sweep's reads) a compact table of them. */
  readonly entraDevices: RecordList<EntraDevice>;
  readonly managedDevices: RecordList<ManagedDevice>;
  readonly devicePrepDeployments: readonly DevicePrepDeployment[];
  /** Rows of the device-preparation app and script detail exports (sweep only). Absent = not read. */
  readonly devicePrepItems?: readonly DevicePrepItemStatus[];
  /**
   * The sweep's report exports: whether they were attempted, and which failed. A failed export is a finding of its
   * own, and the findings that depend on it are neither opened nor resolved in that run. Absent = not attempted.
   */
  readonly reportExports?: ReportExports;
  readonly complete: {
    readonly identities: boolean;
    /**
     * The identities list holds EVERY device currently blocked for re-enrollment (the poll reads them with a
     * filter), so a device absent from it is not blocked: block findings may be resolved for any subject.
     */
    readonly blockedIdentities: boolean;
    readonly entraDevices: boolean;
    readonly managedDevices: boolean;
    readonly devicePrepDeployments: boolean;
    readonly imports: boolean;
    /**
     * `events` holds every deployment event the service still keeps (its 30-day window), not only those since
     * the watermark: an event finding may then be resolved for any device. Absent = false.
     */
    readonly events?: boolean;
    /** `devicePrepItems` holds both detail exports in full. Absent = false. */
    readonly devicePrepItems?: boolean;
  };
  /** Total Autopilot devices in the tenant (for blast-radius percentages), when known. */
  readonly fleetSize: number | null;
  /**
   * Serial numbers this run looked up one by one (exact-serial identity reads). For these, "no identity in
   * `identities`" means the tenant has none, so an incremental poll can tell an imported device is still not
   * visible. Absent = none.
   */
  readonly identitySerialsQueried?: readonly string[];
  /** History the service no longer returns, rebuilt by the poll use case from open findings. See DetectorMemory. */
  readonly memory?: DetectorMemory;
  /**
   * Records read in this run that cannot be used (a serial number with control characters, say). They are NOT
   * in the collections above: no detector sees them and no Graph call is built from them; each is reported as
   * one AP_TENANT_RECORD_UNUSABLE finding instead, so one bad record never stops a run. Absent = none.
   */
  readonly unusableRecords?: readonly UnusableRecord[];
}

/**
 * A fleet-sized list of records: a plain array, or a compact table that builds each record when it is read
 * (core/fleet). Walk it with `for…of`; look records up through `lookup`, which indexes either.
 */
export interface RecordList<T> extends Iterable<T> {
  readonly length: number;
}

/**
 * The collections whose records carry a serial number (the device key), by their Graph names; the device-preparation
 * deployment report by its export report's name.
 */
export type RecordCollection =
  | 'windowsAutopilotDeviceIdentities'
  | 'autopilotEvents'
  | 'importedWindowsAutopilotDeviceIdentities'
  | 'managedDevices'
  | 'AutopilotV2DeploymentStatus';

export interface UnusableRecord {
  readonly collection: RecordCollection;
  /** The record's Graph id, as read (show it through visibleText). */
  readonly recordId: string;
  readonly field: 'serialNumber';
  /** What is wrong, in plain words; never contains the value itself. */
  readonly problem: string;
  /** The offending value, escaped and clipped for display: never the raw string. */
  readonly shown: string;
}

/**
 * What detectors must remember across runs because Graph forgets it. The poll use case fills it from the
 * evidence of open findings (detect/memory.ts has the helper); without it a detector sees less, never more.
 */
export interface DetectorMemory {
  /**
   * Successful pre-provisioning technician runs still waiting for their user flow. The deployment event that
   * proves the run ages out of the 30-day report long before the 6-month user-flow limit, so each open
   * AP_PREPROV_USER_FLOW_PENDING finding carries {serialNumber, autopilotId, technicianEndAt} in its evidence
   * and is fed back here on the next run.
   */
  readonly preprovisionedRuns?: readonly PreprovisionedRun[];
  /**
   * Deployments recorded in the evidence of open findings (a deployment event leaves an incremental poll's
   * read window long before the device is dealt with). The unblock gate needs the 0x80180014 failure of a
   * blocked device whatever run first saw it — and any later deployment that supersedes it.
   */
  readonly deployments?: readonly RememberedDeployment[];
  /**
   * When the product first saw each completed import whose device was not yet visible. Graph's imported-device
   * resource has no timestamp, so the open AP_IMPORT_NOT_VISIBLE finding keeps this sighting (its first-seen time).
   */
  readonly importSightings?: readonly ImportSighting[];
  /**
   * Verdicts on failed deployment rows that only a full read of Intune can reach (recovered after the failure, or
   * no result at all). A poll re-reads recent events without Intune's records; it keeps the verdict of the open
   * finding instead of flipping the row back to a plain failure.
   */
  readonly deploymentVerdicts?: readonly DeploymentVerdict[];
}

export interface RememberedDeployment {
  /** Device key of the finding (serial upper-cased, else the id the detector keyed it by). */
  readonly deviceKey: string;
  readonly eventId: string | null;
  readonly serialNumber: string | null;
  readonly deploymentState: string | null;
  readonly enrollmentType: string | null;
  /** The HRESULT the detector classified, as it recorded it (e.g. "0x80180014"). */
  readonly failureCode: string | null;
  readonly startedAt: number | null;
}

export interface DeploymentVerdict {
  readonly eventId: string;
  /** The finding code the sweep settled on. */
  readonly code: string;
}

export interface ImportSighting {
  readonly serialNumber: string;
  /** Epoch ms of the first run that saw the completed import without its device. */
  readonly firstSeenAt: number;
}

export interface ReportExports {
  readonly attempted: boolean;
  readonly failures: readonly ReportExportFailure[];
}

/** A report export that could not be read; only the error's kind and HTTP status, never its text (it may echo a URL). */
export interface ReportExportFailure {
  readonly reportName: string;
  readonly kind: string;
  readonly status: number | null;
}

export interface PreprovisionedRun {
  readonly serialNumber: string;
  readonly autopilotId: string | null;
  /** deploymentEndDateTime of the successful technician run (epoch ms). */
  readonly technicianEndAt: number;
}

export const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
