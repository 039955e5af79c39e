/**
 * Typed helpers for tests to change tenant state between Graph calls (`sim.tenant.*`). Inputs accept
 * relative times (`now-200d`) and are validated with the same schemas as scenario files; the same
 * code backs `POST /_sim/scenario {"mode":"patch"}`.
 */
import type { z } from 'zod';
import { resolveTimesDeep } from '../clock.js';
import type { SimEnv } from '../http/env.js';
import {
  appReportRowSchema,
  configurationPolicySchema,
  entraDeviceSchema,
  eventSchema,
  groupSchema,
  identitySchema,
  importedDeviceSchema,
  managedDeviceSchema,
  pendingImportSchema,
  reportRowSchema,
  scriptReportRowSchema,
  servicePrincipalSchema,
  settingsSchema,
  userSchema,
  type AutopilotEvent,
  type AutopilotIdentity,
  type AutopilotSettings,
  type EntraDevice,
  type Group,
  type ImportedDevice,
  type ConfigurationPolicy,
  type ManagedDevice,
} from '../model/schemas.js';
import type { ScenarioObject } from '../scenario/schema.js';
import type { Collection } from './collection.js';
import { eventOrder, type Denial, type Tenant } from './tenant.js';

type Input<S extends z.ZodType> = z.input<S>;
type Patch<T> = Partial<{ [K in keyof T]: T[K] | string }>;

/** Scenario keys that hold id-keyed collections, for patches and removals. */
const COLLECTIONS = {
  windowsAutopilotDeviceIdentities: { get: (t: Tenant) => t.identities, schema: identitySchema },
  autopilotEvents: { get: (t: Tenant) => t.events, schema: eventSchema },
  devices: { get: (t: Tenant) => t.devices, schema: entraDeviceSchema },
  managedDevices: { get: (t: Tenant) => t.managedDevices, schema: managedDeviceSchema },
  servicePrincipals: { get: (t: Tenant) => t.servicePrincipals, schema: servicePrincipalSchema },
  users: { get: (t: Tenant) => t.users, schema: userSchema },
  groups: { get: (t: Tenant) => t.groups, schema: groupSchema },
  importedDevices: { get: (t: Tenant) => t.importedDevices, schema: importedDeviceSchema },
  configurationPolicies: { get: (t: Tenant) => t.configurationPolicies, schema: configurationPolicySchema },
} as const;

export class TenantApi {
  /** Inside applyPatch: events upserted, the newest-first order to restore once the patch is applied. */
  private patching = false;
  private eventsMoved = false;

  constructor(
    private readonly env: SimEnv,
    private readonly reload: (s: ScenarioObject | string) => void,
  ) {}

  /** The live state (read-only use in assertions). */
  get state(): Tenant {
    return this.env.tenant;
  }

  private resolve<T>(value: T): unknown {
    return resolveTimesDeep(value, this.env.clock.nowMs());
  }

  /** Merge `patch` into the object with `id` (or insert `patch` as a new object) and validate. */
  private upsert<T extends { id: string }>(
    coll: Collection<T>,
    schema: z.ZodType<T, unknown>,
    id: string,
    patch: unknown,
  ): T {
    const current = coll.get(id);
    const next = schema.parse({ ...(current ?? {}), ...(this.resolve(patch) as object), id: current?.id ?? id });
    if (current) coll.replace(next);
    else coll.add(next);
    // Events are kept newest-first; a changed or added event may move, and its 4-hour report clock starts now.
    if ((coll as unknown) === this.env.tenant.events) {
      // A patch re-sorts once at its end, not once per event it carries.
      if (this.patching) this.eventsMoved = true;
      else this.env.tenant.events.reorder(eventOrder);
      this.env.tenant.trackEvent(next as unknown as AutopilotEvent, this.env.clock.nowMs());
    }
    return next;
  }

  identity(id: string): AutopilotIdentity | undefined {
    return this.env.tenant.identities.get(id);
  }
  setIdentity(id: string, patch: Patch<AutopilotIdentity>): AutopilotIdentity {
    return this.upsert(this.env.tenant.identities, identitySchema, id, patch);
  }
  addIdentity(i: Input<typeof identitySchema>): AutopilotIdentity {
    return this.upsert(this.env.tenant.identities, identitySchema, i.id, i);
  }
  removeIdentity(id: string): boolean {
    return this.env.tenant.identities.remove(id);
  }

  addEvent(e: Input<typeof eventSchema>): AutopilotEvent {
    return this.upsert(this.env.tenant.events, eventSchema, e.id, e);
  }
  removeEvent(id: string): boolean {
    return this.env.tenant.events.remove(id);
  }

  settings(): AutopilotSettings {
    return this.env.tenant.sync.settings;
  }
  setSettings(patch: Patch<AutopilotSettings>): AutopilotSettings {
    const next = settingsSchema.parse({ ...this.env.tenant.sync.settings, ...(this.resolve(patch) as object) });
    this.env.tenant.sync.replace(next);
    return next;
  }
  /** Make syncs that finish from now on end `failed` (or `completed` again). */
  setSyncOutcome(outcome: 'completed' | 'failed'): void {
    this.env.tenant.sync.nextOutcome = outcome;
  }

  setGroup(id: string, patch: Patch<Group>): Group {
    return this.upsert(this.env.tenant.groups, groupSchema, id, patch);
  }
  addGroup(g: Input<typeof groupSchema>, members: string[] = [], owners: string[] = []): Group {
    const group = this.upsert(this.env.tenant.groups, groupSchema, g.id, g);
    for (const m of members) this.env.tenant.addMember(group.id, m);
    for (const o of owners) this.env.tenant.addOwner(group.id, o);
    return group;
  }
  deleteGroup(id: string): boolean {
    return this.env.tenant.deleteGroup(id);
  }
  groupMembers(groupId: string): string[] {
    return this.env.tenant.membersOf(groupId);
  }
  groupOwners(groupId: string): string[] {
    return this.env.tenant.ownersOf(groupId);
  }
  addGroupMember(groupId: string, objectId: string): boolean {
    return this.env.tenant.addMember(groupId, objectId);
  }
  removeGroupMember(groupId: string, objectId: string): boolean {
    return this.env.tenant.removeMember(groupId, objectId);
  }
  addGroupOwner(groupId: string, objectId: string): boolean {
    return this.env.tenant.addOwner(groupId, objectId);
  }
  removeGroupOwner(groupId: string, objectId: string): boolean {
    return this.env.tenant.removeOwner(groupId, objectId);
  }

  /** A device preparation policy (configurationPolicies) with its enrollment-time targets. */
  addConfigurationPolicy(p: Input<typeof configurationPolicySchema>): ConfigurationPolicy {
    return this.upsert(this.env.tenant.configurationPolicies, configurationPolicySchema, p.id, p);
  }
  /** Select these device groups on the policy (none = "no device group selected"), as setEnrollmentTimeDeviceMembershipTarget does. */
  setPolicyTargets(policyId: string, groupIds: readonly string[]): ConfigurationPolicy {
    const targets = groupIds.map((targetId) => ({ targetType: 'staticSecurityGroup' as const, targetId }));
    return this.upsert(this.env.tenant.configurationPolicies, configurationPolicySchema, policyId, {
      enrollmentTimeDeviceMembershipTargets: targets,
    });
  }
  removeConfigurationPolicy(id: string): boolean {
    return this.env.tenant.configurationPolicies.remove(id);
  }

  setDevice(id: string, patch: Patch<EntraDevice>): EntraDevice {
    return this.upsert(this.env.tenant.devices, entraDeviceSchema, id, patch);
  }
  addDevice(d: Input<typeof entraDeviceSchema>): EntraDevice {
    return this.upsert(this.env.tenant.devices, entraDeviceSchema, d.id, d);
  }
  removeDevice(id: string): boolean {
    return this.env.tenant.devices.remove(id);
  }

  setManagedDevice(id: string, patch: Patch<ManagedDevice>): ManagedDevice {
    return this.upsert(this.env.tenant.managedDevices, managedDeviceSchema, id, patch);
  }
  addManagedDevice(d: Input<typeof managedDeviceSchema>): ManagedDevice {
    return this.upsert(this.env.tenant.managedDevices, managedDeviceSchema, d.id, d);
  }
  removeManagedDevice(id: string): boolean {
    return this.env.tenant.managedDevices.remove(id);
  }

  addServicePrincipal(sp: Input<typeof servicePrincipalSchema>): void {
    this.upsert(this.env.tenant.servicePrincipals, servicePrincipalSchema, sp.id, sp);
  }
  removeServicePrincipal(id: string): boolean {
    return this.env.tenant.servicePrincipals.remove(id);
  }

  addReportRow(row: Input<typeof reportRowSchema>): void {
    this.env.tenant.reportRows.push(reportRowSchema.parse(this.resolve(row)));
  }
  /** A row of the device-preparation app detail export (AutopilotV2DeploymentStatusDetailedAppInfo). */
  addReportAppRow(row: Input<typeof appReportRowSchema>): void {
    this.env.tenant.reportAppRows.push(appReportRowSchema.parse(row));
  }
  /** A row of the device-preparation script detail export (AutopilotV2DeploymentStatusDetailedScriptInfo). */
  addReportScriptRow(row: Input<typeof scriptReportRowSchema>): void {
    this.env.tenant.reportScriptRows.push(scriptReportRowSchema.parse(row));
  }
  addPendingImport(p: Input<typeof pendingImportSchema>): void {
    const parsed = pendingImportSchema.parse(this.resolve(p));
    const t = this.env.tenant;
    if (
      t.identities.has(parsed.identity.id) ||
      t.pendingImports.some((x) => x.identity.id.toLowerCase() === parsed.identity.id.toLowerCase())
    ) {
      throw new Error(`an identity with id '${parsed.identity.id}' already exists or is already pending`);
    }
    t.pendingImports.push(parsed);
    t.recordImports();
  }

  /** An importedWindowsAutopilotDeviceIdentity (e.g. an import error); upserts by id like the other helpers. */
  importedDevice(id: string): ImportedDevice | undefined {
    return this.env.tenant.importedDevices.get(id);
  }
  addImportedDevice(d: Input<typeof importedDeviceSchema>): ImportedDevice {
    return this.upsert(this.env.tenant.importedDevices, importedDeviceSchema, d.id, d);
  }
  removeImportedDevice(id: string): boolean {
    return this.env.tenant.importedDevices.remove(id);
  }

  deny(d: Denial): void {
    this.env.tenant.denials.push(d);
  }
  clearDenials(): void {
    this.env.tenant.denials.length = 0;
  }

  loadScenario(s: ScenarioObject | string): void {
    this.reload(s);
  }

  /**
   * Apply a scenario-shaped patch: id-keyed collections (including `importedDevices`) upsert by id
   * (fields merge), `remove` lists ids per collection, settings merge, report rows / pending imports /
   * denials append.
   */
  applyPatch(patch: Record<string, unknown>): void {
    this.patching = true;
    this.eventsMoved = false;
    try {
      this.applyCollections(patch);
    } finally {
      this.patching = false;
      if (this.eventsMoved) this.env.tenant.events.reorder(eventOrder);
    }
    this.applyRest(patch);
  }

  private applyCollections(patch: Record<string, unknown>): void {
    for (const [key, spec] of Object.entries(COLLECTIONS)) {
      const list = patch[key];
      if (!Array.isArray(list)) continue;
      for (const item of list as Record<string, unknown>[]) {
        const id = typeof item['id'] === 'string' ? item['id'] : '';
        const { members, owners, ...rest } = item;
        const coll: Collection<{ id: string }> = spec.get(this.env.tenant);
        this.upsert(coll, spec.schema, id, rest);
        if (key === 'groups') {
          for (const m of Array.isArray(members) ? members : []) this.env.tenant.addMember(id, String(m));
          for (const o of Array.isArray(owners) ? owners : []) this.env.tenant.addOwner(id, String(o));
        }
      }
    }
  }

  private applyRest(patch: Record<string, unknown>): void {
    const remove = patch['remove'];
    if (remove && typeof remove === 'object') {
      for (const [key, ids] of Object.entries(remove as Record<string, unknown>)) {
        const spec = COLLECTIONS[key as keyof typeof COLLECTIONS];
        if (!spec || !Array.isArray(ids)) throw new Error(`cannot remove from '${key}'`);
        for (const id of ids) {
          if (key === 'groups') this.env.tenant.deleteGroup(String(id));
          else spec.get(this.env.tenant).remove(String(id));
        }
      }
    }
    const settings = patch['windowsAutopilotSettings'];
    if (settings && typeof settings === 'object') this.setSettings(settings);
    for (const row of asArray(patch['deviceprepReport'])) this.addReportRow(row as Input<typeof reportRowSchema>);
    for (const row of asArray(patch['deviceprepAppReport']))
      this.addReportAppRow(row as Input<typeof appReportRowSchema>);
    for (const row of asArray(patch['deviceprepScriptReport']))
      this.addReportScriptRow(row as Input<typeof scriptReportRowSchema>);
    for (const p of asArray(patch['pendingImports'])) this.addPendingImport(p as Input<typeof pendingImportSchema>);
    for (const d of asArray(patch['denials'])) this.deny(d as Denial);
  }
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
