/**
 * All tenant state the simulator serves. Routes and the test API both go through this class, so a
 * change made by a test is exactly what the next Graph request sees.
 */
import type {
  AppReportRow,
  AutopilotEvent,
  AutopilotIdentity,
  ConfigurationPolicy,
  EntraDevice,
  Group,
  ImportedDevice,
  ManagedDevice,
  PendingImport,
  ReportRow,
  ScriptReportRow,
  ServicePrincipal,
  User,
} from '../model/schemas.js';
import type { Planted } from '../generate/spec.js';
import { Collection } from './collection.js';
import { importRecordFor } from './imports.js';
import { DeploymentReportClock } from './report-clock.js';
import { AutopilotSync } from './sync.js';

/** A path/method rule that answers 403, as when the app lacks a Graph permission. */
export interface Denial {
  method?: string | undefined;
  /** Regular expression tested against `/{version}{path}`. */
  path: string;
  version?: 'v1.0' | 'beta' | undefined;
}

export type DirectoryObject =
  | { kind: 'device'; obj: EntraDevice }
  | { kind: 'servicePrincipal'; obj: ServicePrincipal }
  | { kind: 'user'; obj: User }
  | { kind: 'group'; obj: Group };

export interface TenantParts {
  identities: Collection<AutopilotIdentity>;
  events: Collection<AutopilotEvent>;
  groups: Collection<Group>;
  devices: Collection<EntraDevice>;
  users: Collection<User>;
  servicePrincipals: Collection<ServicePrincipal>;
  managedDevices: Collection<ManagedDevice>;
  /** Device preparation policies (configurationPolicies) with their enrollment-time targets. */
  configurationPolicies?: Collection<ConfigurationPolicy>;
  /** importedWindowsAutopilotDeviceIdentities listed as such (scenario `importedDevices`); records of pending imports are added. */
  importedDevices?: Collection<ImportedDevice>;
  reportRows: ReportRow[];
  /** Rows of the device-preparation app and script detail exports. */
  reportAppRows?: AppReportRow[];
  reportScriptRows?: ScriptReportRow[];
  /** When the state was loaded (simulator clock): the deployment report's 4-hour failures count from here. */
  loadedAt?: number;
  pendingImports: PendingImport[];
  sync: AutopilotSync;
  denials: Denial[];
  planted: Planted;
  members: Map<string, string[]>;
  owners: Map<string, string[]>;
}

/**
 * Each event's parsed eventDateTime, so re-sorting after an added event parses every time once, not twice per
 * comparison. Stored events are never changed in place (a change replaces the object), so the cache never goes stale.
 */
const eventTimes = new WeakMap<AutopilotEvent, number>();
function eventTime(e: AutopilotEvent): number {
  let t = eventTimes.get(e);
  if (t === undefined) eventTimes.set(e, (t = Date.parse(e.eventDateTime)));
  return t;
}

/** Newest first, as the portal lists deployments; ties broken by id so paging is stable. */
export const eventOrder = (a: AutopilotEvent, b: AutopilotEvent): number =>
  eventTime(b) - eventTime(a) || a.id.localeCompare(b.id);

export class Tenant {
  readonly identities: Collection<AutopilotIdentity>;
  readonly events: Collection<AutopilotEvent>;
  readonly groups: Collection<Group>;
  readonly devices: Collection<EntraDevice>;
  readonly users: Collection<User>;
  readonly servicePrincipals: Collection<ServicePrincipal>;
  readonly managedDevices: Collection<ManagedDevice>;
  readonly configurationPolicies: Collection<ConfigurationPolicy>;
  /**
   * importedWindowsAutopilotDeviceIdentities: the scenario's (import errors and the like) plus one
   * `complete` record per pending import, kept after the sync that makes the device visible.
   */
  readonly importedDevices: Collection<ImportedDevice>;
  readonly reportRows: ReportRow[];
  readonly reportAppRows: AppReportRow[];
  readonly reportScriptRows: ScriptReportRow[];
  pendingImports: PendingImport[];
  readonly sync: AutopilotSync;
  /** Fails deployment rows that stay In progress for 4 hours, as the report does (report-clock.ts). */
  readonly deploymentReport = new DeploymentReportClock();
  readonly denials: Denial[];
  planted: Planted;
  private readonly members = new Map<string, Set<string>>();
  private readonly owners = new Map<string, Set<string>>();
  /** Identity ids (lower-case) of pending imports whose import record has been written. */
  private readonly importsRecorded = new Set<string>();

  constructor(p: TenantParts) {
    this.identities = p.identities;
    // The incremental poll's blocked-identity filter is answered from these; a sweep's page walk builds them.
    this.identities.indexWhileWalking(['enrollmentState', 'userlessEnrollmentStatus']);
    this.events = p.events;
    this.groups = p.groups;
    this.devices = p.devices;
    this.users = p.users;
    this.servicePrincipals = p.servicePrincipals;
    this.managedDevices = p.managedDevices;
    this.configurationPolicies = p.configurationPolicies ?? new Collection<ConfigurationPolicy>();
    this.importedDevices = p.importedDevices ?? new Collection<ImportedDevice>();
    this.reportRows = p.reportRows;
    this.reportAppRows = p.reportAppRows ?? [];
    this.reportScriptRows = p.reportScriptRows ?? [];
    this.pendingImports = p.pendingImports;
    this.sync = p.sync;
    this.denials = p.denials;
    this.planted = p.planted;
    for (const [g, list] of p.members) this.members.set(g.toLowerCase(), new Set(list.map((x) => x.toLowerCase())));
    for (const [g, list] of p.owners) this.owners.set(g.toLowerCase(), new Set(list.map((x) => x.toLowerCase())));
    this.events.reorder(eventOrder);
    this.recordImports();
    if (p.loadedAt !== undefined) for (const e of this.events.values()) this.deploymentReport.track(e, p.loadedAt);
  }

  /**
   * Give every pending import its `complete` import record (once: a record removed later stays removed).
   * Runs on every tick, so pending imports pushed straight into `pendingImports` get one too.
   */
  recordImports(): void {
    for (const p of this.pendingImports) {
      const key = p.identity.id.toLowerCase();
      if (this.importsRecorded.has(key)) continue;
      this.importsRecorded.add(key);
      const record = importRecordFor(p);
      if (!this.importedDevices.has(record.id)) this.importedDevices.add(record);
    }
  }

  /** Advance time-driven state: finish a due sync and reveal the imports it covered. */
  tick(now: number): void {
    this.recordImports();
    this.deploymentReport.tick(now, this.events);
    const triggeredAt = this.sync.tick(now);
    if (triggeredAt === null) return;
    const [due, later] = partition(this.pendingImports, (p) => Date.parse(p.importedDateTime) <= triggeredAt);
    this.pendingImports = later;
    for (const p of due) {
      if (!this.identities.has(p.identity.id)) this.identities.add(p.identity);
      if (p.device && !this.devices.has(p.device.id)) this.devices.add(p.device);
    }
  }

  /**
   * Which kind of directory object this id is, and the id as the object stores it — from the id maps alone, so no
   * generated object is computed (a members page of `$select=id` needs nothing more).
   */
  directoryRef(id: string): { kind: DirectoryObject['kind']; id: string } | undefined {
    const device = this.devices.idOf(id);
    if (device !== undefined) return { kind: 'device', id: device };
    const sp = this.servicePrincipals.idOf(id);
    if (sp !== undefined) return { kind: 'servicePrincipal', id: sp };
    const user = this.users.idOf(id);
    if (user !== undefined) return { kind: 'user', id: user };
    const group = this.groups.idOf(id);
    return group === undefined ? undefined : { kind: 'group', id: group };
  }

  directoryObject(id: string): DirectoryObject | undefined {
    const device = this.devices.get(id);
    if (device) return { kind: 'device', obj: device };
    const sp = this.servicePrincipals.get(id);
    if (sp) return { kind: 'servicePrincipal', obj: sp };
    const user = this.users.get(id);
    if (user) return { kind: 'user', obj: user };
    const group = this.groups.get(id);
    return group ? { kind: 'group', obj: group } : undefined;
  }

  membersOf(groupId: string): string[] {
    return [...(this.members.get(groupId.toLowerCase()) ?? [])];
  }

  ownersOf(groupId: string): string[] {
    return [...(this.owners.get(groupId.toLowerCase()) ?? [])];
  }

  isMember(groupId: string, objectId: string): boolean {
    return this.members.get(groupId.toLowerCase())?.has(objectId.toLowerCase()) ?? false;
  }

  isOwner(groupId: string, objectId: string): boolean {
    return this.owners.get(groupId.toLowerCase())?.has(objectId.toLowerCase()) ?? false;
  }

  /** Raw edits without Graph's checks; routes validate first. Return false when nothing changed. */
  addMember(groupId: string, objectId: string): boolean {
    return edit(this.members, groupId, objectId, true);
  }
  removeMember(groupId: string, objectId: string): boolean {
    return edit(this.members, groupId, objectId, false);
  }
  addOwner(groupId: string, objectId: string): boolean {
    return edit(this.owners, groupId, objectId, true);
  }
  removeOwner(groupId: string, objectId: string): boolean {
    return edit(this.owners, groupId, objectId, false);
  }

  deleteGroup(groupId: string): boolean {
    this.members.delete(groupId.toLowerCase());
    this.owners.delete(groupId.toLowerCase());
    return this.groups.remove(groupId);
  }

  /** Note a deployment row that entered or changed at `now` (the report's 4-hour clock starts for it). */
  trackEvent(event: AutopilotEvent, now: number): void {
    this.deploymentReport.track(event, now);
  }
}

function edit(map: Map<string, Set<string>>, groupId: string, objectId: string, add: boolean): boolean {
  const g = groupId.toLowerCase();
  const set = map.get(g) ?? new Set<string>();
  map.set(g, set);
  const o = objectId.toLowerCase();
  if (add === set.has(o)) return false;
  if (add) set.add(o);
  else set.delete(o);
  return true;
}

function partition<T>(list: readonly T[], pred: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of list) (pred(x) ? yes : no).push(x);
  return [yes, no];
}
