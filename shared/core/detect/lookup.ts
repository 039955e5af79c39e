import type {
  AutopilotDevice,
  AutopilotEvent,
  EntraDevice,
  ImportedDevice,
  ManagedDevice,
  TenantSnapshot,
} from '../model/index.js';
import { normId, normSerial } from '../fleet/device-keys.js';
import { EntraTable } from '../fleet/entra-table.js';
import type { IdColumn } from '../fleet/id-column.js';
import { IdentityTable } from '../fleet/identity-table.js';
import { ManagedTable } from '../fleet/managed-table.js';

// One set of indexes over a snapshot, shared by every detector and by `covers`, so "which device is this"
// is decided in exactly one place. Device keys are serial numbers with ASCII blanks trimmed and ASCII letters
// upper-cased (the same device arrives with different casing from different Graph collections; no other character is
// folded, whoever enrolls a device chooses its serial); ids are lower-cased GUIDs (fleet/device-keys.ts).

export { normId, normSerial };

/** What the detectors ask of an index: a Map answers it, and so does a view over a fleet table. */
export interface Keyed<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
}

/** Subject key of an identity: serial, else the Autopilot id. */
export function identityKey(i: AutopilotDevice): string {
  return normSerial(i.serialNumber) ?? i.id;
}

/** When a deployment started, for ordering attempts of one device. */
export function eventStart(e: AutopilotEvent): number | null {
  return e.deploymentStartAt ?? e.enrollmentStartAt ?? e.eventAt;
}

export interface Lookup {
  /**
   * The snapshot's Autopilot identities as a table. Its records are built on each read, so two reads of one device
   * are equal but not the same object: compare rows (`rowByKey`, `identitiesSharingKey`).
   */
  readonly identities: IdentityTable;
  /** The first identity of each device key, in list order. */
  readonly identityByKey: Keyed<AutopilotDevice>;
  /**
   * Keys that more than one identity shares (a duplicate registration), with the rows of all of them in list order.
   * Apart from identityByKey, so the fleet's one-identity keys cost no array each (100,000 of them at 100,000 devices).
   */
  readonly identitiesSharingKey: ReadonlyMap<string, readonly number[]>;
  readonly identityByAadId: Keyed<AutopilotDevice>;
  readonly identityByManagedId: Keyed<AutopilotDevice>;
  /**
   * The snapshot's Intune records as a table. Its records are built on each read, so two reads of one device are
   * equal but not the same object: compare rows (`rowById`, `rowByKey`, `managedRowForIdentity`).
   */
  readonly managed: ManagedTable;
  readonly managedById: Keyed<ManagedDevice>;
  /** Per serial, the record that checked in last (an older one is a leftover enrollment). */
  readonly managedByKey: Keyed<ManagedDevice>;
  readonly managedByAadId: Keyed<ManagedDevice>;
  /** Entra devices from the sweep list and from every device-prep group's candidates, by deviceId. */
  readonly entraByDeviceId: Keyed<EntraDevice>;
  /** entraByDeviceId.has(normId(value)) for the id in row `row` of a fleet table's column, without building its string. */
  hasEntraDeviceIn(column: IdColumn, row: number): boolean;
  /** Per device key, oldest attempt first. */
  readonly eventsByKey: ReadonlyMap<string, readonly AutopilotEvent[]>;
  readonly importsByKey: ReadonlyMap<string, readonly ImportedDevice[]>;
  readonly queriedSerials: ReadonlySet<string>;
  /** Device key of an event (serial, else via its Intune device id, else that id). */
  eventKey(e: AutopilotEvent): string;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An index that answers a row (or -1) seen as one that answers records, for the detectors that only read fields. */
function rowsOf<T>(rowOf: (key: string) => number, at: (row: number) => T): Keyed<T> {
  return {
    get: (k) => {
      const row = rowOf(k);
      return row >= 0 ? at(row) : undefined;
    },
    has: (k) => rowOf(k) >= 0,
  };
}

// Keyed by snapshot identity: the snapshot is immutable, so the index is a pure function of it.
const CACHE = new WeakMap<TenantSnapshot, Lookup>();

export function lookup(snapshot: TenantSnapshot): Lookup {
  const cached = CACHE.get(snapshot);
  if (cached) return cached;
  const built = build(snapshot);
  CACHE.set(snapshot, built);
  return built;
}

function build(s: TenantSnapshot): Lookup {
  const identities = s.identities instanceof IdentityTable ? s.identities : IdentityTable.from(s.identities);
  const identitiesSharingKey = new Map<string, number[]>();
  for (let row = 0; row < identities.length; row++) {
    const k = identities.key(row);
    const first = identities.rowByKey(k);
    if (first === row) continue;
    const shared = identitiesSharingKey.get(k);
    if (shared) shared.push(row);
    else identitiesSharingKey.set(k, [first, row]);
  }
  const identity = (row: number): AutopilotDevice => identities.at(row);
  const identityByKey = rowsOf((k) => identities.rowByKey(k), identity);
  const identityByAadId = rowsOf((k) => identities.rowByAadId(k), identity);
  const identityByManagedId = rowsOf((k) => identities.rowByManagedId(k), identity);

  const managed = s.managedDevices instanceof ManagedTable ? s.managedDevices : ManagedTable.from(s.managedDevices);
  const record = (row: number): ManagedDevice => managed.at(row);
  const managedById = rowsOf((k) => managed.rowById(k), record);
  const managedByAadId = rowsOf((k) => managed.rowByAadId(k), record);
  const managedByKey = rowsOf((k) => managed.rowByKey(k), record);

  const entra = s.entraDevices instanceof EntraTable ? s.entraDevices : EntraTable.from(s.entraDevices);
  // Then each device-prep group's candidates, as if appended to the sweep's list (the first record of an id wins).
  const candidates = new Map<string, EntraDevice>();
  for (const g of s.devicePrepGroups) {
    for (const d of g.candidates) {
      const k = normId(d.deviceId);
      if (k !== null && !candidates.has(k) && entra.rowByDeviceId(k) < 0) candidates.set(k, d);
    }
  }
  const inTable = rowsOf(
    (k) => entra.rowByDeviceId(k),
    (row) => entra.at(row),
  );
  const entraByDeviceId: Keyed<EntraDevice> = {
    get: (k) => inTable.get(k) ?? candidates.get(k),
    has: (k) => inTable.has(k) || candidates.has(k),
  };
  const hasEntraDeviceIn = (column: IdColumn, row: number): boolean => {
    if (entra.rowByDeviceIdIn(column, row) >= 0) return true;
    if (candidates.size === 0) return false;
    const k = normId(column.get(row));
    return k !== null && candidates.has(k);
  };

  const eventKey = (e: AutopilotEvent): string => {
    const serial = normSerial(e.serialNumber);
    if (serial) return serial;
    const intuneId = normId(e.deviceId);
    const viaIdentity = intuneId ? identities.rowByManagedId(intuneId) : -1;
    if (viaIdentity >= 0) return identities.key(viaIdentity);
    const viaManaged = intuneId ? normSerial(managedById.get(intuneId)?.serialNumber) : null;
    return viaManaged ?? intuneId ?? e.id;
  };
  const eventsByKey = new Map<string, AutopilotEvent[]>();
  for (const e of s.events) push(eventsByKey, eventKey(e), e);
  for (const list of eventsByKey.values()) {
    list.sort((a, b) => (eventStart(a) ?? 0) - (eventStart(b) ?? 0) || (a.eventAt ?? 0) - (b.eventAt ?? 0));
  }

  const importsByKey = new Map<string, ImportedDevice[]>();
  for (const imp of s.imports) {
    const k = normSerial(imp.serialNumber);
    if (k) push(importsByKey, k, imp);
  }
  const queriedSerials = new Set((s.identitySerialsQueried ?? []).map(normSerial).filter((k) => k !== null));

  return {
    identities,
    identityByKey,
    identitiesSharingKey,
    identityByAadId,
    identityByManagedId,
    managed,
    managedById,
    managedByKey,
    managedByAadId,
    entraByDeviceId,
    hasEntraDeviceIn,
    eventsByKey,
    importsByKey,
    queriedSerials,
    eventKey,
  };
}

/**
 * The row of an Autopilot identity's Intune record: by its managedDeviceId, else serial, else Entra deviceId; -1. The
 * same join as managedRowForIdentityRow, for a record a detector already holds.
 */
export function managedRowForIdentity(L: Lookup, i: AutopilotDevice): number {
  const byId = normId(i.managedDeviceId);
  const byIdRow = byId ? L.managed.rowById(byId) : -1;
  if (byIdRow >= 0) return byIdRow;
  const byKeyRow = L.managed.rowByKey(identityKey(i));
  if (byKeyRow >= 0) return byKeyRow;
  const aad = normId(i.azureAdDeviceId);
  return aad ? L.managed.rowByAadId(aad) : -1;
}

/**
 * The row of the Intune record of the identity in row `row` of the lookup's table: managedRowForIdentity, with the ids
 * probed by their packed words (a pass over the fleet builds no id string for it).
 */
export function managedRowForIdentityRow(L: Lookup, row: number): number {
  const t = L.identities;
  const byIdRow = L.managed.rowByIdIn(t.managedIds, row);
  if (byIdRow >= 0) return byIdRow;
  const byKeyRow = L.managed.rowByKey(t.key(row));
  if (byKeyRow >= 0) return byKeyRow;
  return L.managed.rowByAadIdIn(t.aadIds, row);
}

/** The Intune record of an Autopilot identity (see managedRowForIdentity). */
export function managedForIdentity(L: Lookup, i: AutopilotDevice): ManagedDevice | null {
  const row = managedRowForIdentity(L, i);
  return row >= 0 ? L.managed.at(row) : null;
}

/**
 * Latest known registration time: creation of the device's Entra object (Autopilot registration creates it). Imports
 * carry no timestamp in Graph, so they cannot date a registration.
 */
export function registeredAt(L: Lookup, i: AutopilotDevice): number | null {
  return registeredAtOf(L, i.azureAdDeviceId);
}

/** registeredAt, from the identity's Entra deviceId. */
export function registeredAtOf(L: Lookup, azureAdDeviceId: string | null): number | null {
  const aad = normId(azureAdDeviceId);
  return aad ? (L.entraByDeviceId.get(aad)?.createdAt ?? null) : null;
}
