import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  DevicePrepItemStatus,
  DirectoryObjectRef,
  EntraDevice,
  GroupInfo,
  ImportedDevice,
  ManagedDevice,
  PolicyTargetStatus,
  ServicePrincipalRef,
} from '../core/model/index.js';
import type { GraphError } from './errors.js';

// Graph ports. Lists stream page by page (AsyncIterable of pages) so a 100,000-device tenant is never held
// twice. A list either yields every page or throws: never a silent partial list. Errors are the typed
// GraphError family in ports/errors.ts.

export interface ReadProgress {
  readonly collection: string;
  readonly pages: number;
  readonly items: number;
}

/**
 * Per-call options of every read. `signal`: the run's abort signal — once it fires, the read's request in flight
 * is cancelled, no further request, retry or prefetch is made, waits end, and the read rejects with its reason.
 */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

export interface IdentityFilter {
  /** Only devices blocked for (userless) re-enrollment. */
  readonly blockedOnly?: boolean;
  readonly serialNumber?: string;
  /** Several serials in one request (e.g. the few devices a poll must look up); exact matches only. */
  readonly serialNumbers?: readonly string[];
}

export interface EventFilter {
  /** Events with eventDateTime ≥ this (epoch ms). */
  readonly since?: number;
}

/** What retrieveEnrollmentTimeDeviceMembershipTarget answered for one policy. */
export interface EnrollmentTimeTarget {
  readonly validationSucceeded: boolean;
  readonly targets: readonly PolicyTargetStatus[];
}

export interface AutopilotReader {
  listDeviceIdentities(filter?: IdentityFilter, opts?: ReadOptions): AsyncIterable<AutopilotDevice[]>;
  getDeviceIdentity(id: string, opts?: ReadOptions): Promise<AutopilotDevice | null>;
  listEvents(filter?: EventFilter, opts?: ReadOptions): AsyncIterable<AutopilotEvent[]>;
  getSettings(opts?: ReadOptions): Promise<AutopilotSettings>;
  listImportedDevices(opts?: ReadOptions): AsyncIterable<ImportedDevice[]>;
  /** AutopilotV2DeploymentStatus export (create job, poll, download). */
  exportDevicePrepDeployments(opts?: ReadOptions): Promise<DevicePrepDeployment[]>;
  /** AutopilotV2DeploymentStatusDetailedAppInfo export: the last status of each app of each deployment. */
  exportDevicePrepAppStatus(opts?: ReadOptions): Promise<DevicePrepItemStatus[]>;
  /** AutopilotV2DeploymentStatusDetailedScriptInfo export: the last status of each script of each deployment. */
  exportDevicePrepScriptStatus(opts?: ReadOptions): Promise<DevicePrepItemStatus[]>;
  /**
   * A device preparation policy's enrollment-time device membership target, with the service's validation of it
   * (beta action retrieveEnrollmentTimeDeviceMembershipTarget; a POST that changes nothing). null = no such policy.
   */
  getEnrollmentTimeTarget(policyId: string, opts?: ReadOptions): Promise<EnrollmentTimeTarget | null>;
}

export interface ProfileDeviceCounts {
  /** Entra devices whose enrollmentProfileName is the profile's name. */
  readonly candidates: number;
  /** Of those, the direct members of the group. */
  readonly members: number;
}

export interface DirectoryReader {
  /** null when the group does not exist. */
  getGroup(groupId: string, opts?: ReadOptions): Promise<GroupInfo | null>;
  listGroupOwners(groupId: string, opts?: ReadOptions): Promise<DirectoryObjectRef[]>;
  listGroupMemberIds(groupId: string, opts?: ReadOptions): AsyncIterable<string[]>;
  /** Which of these object ids are members (for re-checks without reading the whole group). */
  filterMembers(groupId: string, objectIds: readonly string[], opts?: ReadOptions): Promise<Set<string>>;
  findServicePrincipalByAppId(appId: string, opts?: ReadOptions): Promise<ServicePrincipalRef | null>;
  listDevicesByEnrollmentProfile(profileName: string, opts?: ReadOptions): AsyncIterable<EntraDevice[]>;
  /**
   * How many Entra devices carry the profile name, and how many of those are direct members of the group (eventually
   * consistent counts). null when the service gives no count or refuses the query: read the lists instead.
   */
  countProfileDevices(groupId: string, profileName: string, opts?: ReadOptions): Promise<ProfileDeviceCounts | null>;
  /** The Autopilot-registered (ZTDID) Entra devices that carry the profile name. */
  listRegisteredDevicesByEnrollmentProfile(profileName: string, opts?: ReadOptions): AsyncIterable<EntraDevice[]>;
  getDeviceByDeviceId(deviceId: string, opts?: ReadOptions): Promise<EntraDevice | null>;
  /** One Entra device by its directory OBJECT id (strongly consistent); null when there is no such device. */
  getDevice(objectId: string, opts?: ReadOptions): Promise<EntraDevice | null>;
  /**
   * Several Entra devices by directory OBJECT id (strongly consistent), keyed by lower-cased object id; an id with
   * no such device is absent from the map. Fewer requests than one getDevice each (the adapter asks for up to 15 at
   * a time).
   */
  getDevices(objectIds: readonly string[], opts?: ReadOptions): Promise<Map<string, EntraDevice>>;
  /** All Autopilot-registered Entra devices (ZTDID physical id) — compliance sweep. */
  listAutopilotEntraDevices(opts?: ReadOptions): AsyncIterable<EntraDevice[]>;
  listManagedDevices(opts?: ReadOptions): AsyncIterable<ManagedDevice[]>;
}

export interface WriteResult {
  /** Graph's request-id of the write. */
  readonly requestId: string | null;
  /** The target was already in the desired state (e.g. 400 "already a member"). */
  readonly alreadyDone: boolean;
  /**
   * Set only in per-object results of a multi-object write (addGroupMembers) when THIS object failed
   * (e.g. 404: no such object) while the others went through. Absent means the write succeeded.
   */
  readonly error?: GraphError;
}

export type SyncResult =
  | { readonly kind: 'started'; readonly requestId: string | null }
  | { readonly kind: 'in-progress'; readonly requestId: string | null } // 409
  | { readonly kind: 'too-soon'; readonly retryAfterMs: number | null; readonly requestId: string | null }; // 429

export interface IntuneActions {
  /** Never retried automatically: 409/429 come back as results for the governor to defer. */
  triggerAutopilotSync(): Promise<SyncResult>;
  allowNextEnrollment(autopilotId: string): Promise<WriteResult>;
  /** ≤ 20 per call; members already present count as done. Result per object id. */
  addGroupMembers(groupId: string, objectIds: readonly string[]): Promise<Map<string, WriteResult>>;
  addGroupOwner(groupId: string, objectId: string): Promise<WriteResult>;
  /** DELETE managedDevices/{id}; 404 (already gone) is `alreadyDone`. Only ever for an approved request. */
  deleteManagedDevice(managedDeviceId: string): Promise<WriteResult>;
  /** DELETE windowsAutopilotDeviceIdentities/{id}; 404 (already gone) is `alreadyDone`. Only ever for an approved request. */
  deleteAutopilotDevice(autopilotId: string): Promise<WriteResult>;
}

export interface GraphHealth {
  /** Application permissions present in the token (roles claim) — empty for static tokens. */
  readonly grantedPermissions: readonly string[];
  /** The tenant the token was issued for (its `tid` claim); null when the token carries none (static, opaque). */
  readonly tokenTenantId?: string | null;
  /**
   * When no token was obtained: the Entra error codes (the digits of each AADSTSnnnn) the failure named, so the
   * health check can tell "not consented in this tenant" from other failures. Digits only: never server text.
   */
  readonly tokenErrorCodes?: readonly string[];
  readonly reachable: boolean;
  readonly detail: string;
}

/** One read-only request to an endpoint the product uses, and what Graph answered. */
export interface EndpointProbe {
  /** What the product reads there, in an operator's words. */
  readonly name: string;
  /** Method and path, e.g. `GET /beta/deviceManagement/autopilotEvents`. */
  readonly call: string;
  /** ok: answered 2xx. denied: 401/403 (a permission). failed: any other answer or none. */
  readonly outcome: 'ok' | 'denied' | 'failed';
  readonly httpStatus: number | null;
  readonly detail: string;
}

export interface GraphProbe {
  check(): Promise<GraphHealth>;
  /** One read-only request per endpoint the product reads fleet-wide (never a write; group reads are per group). */
  endpoints(): Promise<EndpointProbe[]>;
}

/**
 * Point reads for a technician's lookup of ONE device (`autopilot-medic device`, GET /api/devices/{key}). Each is a
 * filtered list or a read by key: a handful of requests whatever the tenant size, never a fleet-wide read. Lists
 * are returned whole: a filter on one serial, name or id matches a few records at most.
 */
export interface DeviceLookupReader {
  /** Autopilot identities whose Entra deviceId (azureActiveDirectoryDeviceId) is this GUID. */
  identitiesByEntraDeviceId(deviceId: string, opts?: ReadOptions): Promise<AutopilotDevice[]>;
  /** Entra devices whose displayName is exactly this name. */
  entraDevicesByName(displayName: string, opts?: ReadOptions): Promise<EntraDevice[]>;
  /** One Intune managed device by its id; null when there is none. */
  getManagedDevice(id: string, opts?: ReadOptions): Promise<ManagedDevice | null>;
  /** Intune managed devices matching exactly one of: serial number, device name, Entra deviceId. */
  managedDevicesBy(
    by: { readonly serialNumber: string } | { readonly deviceName: string } | { readonly entraDeviceId: string },
    opts?: ReadOptions,
  ): Promise<ManagedDevice[]>;
  /** Autopilot deployment events of one device (by serial number), newest first, at most `limit`. */
  eventsForSerial(serialNumber: string, limit: number, opts?: ReadOptions): Promise<AutopilotEvent[]>;
}
