import type {
  AutopilotDevice,
  AutopilotEvent,
  EntraDevice,
  ImportedDevice,
  ManagedDevice,
  TenantSnapshot,
} from '../model/index.js';

// One set of indexes over a snapshot, shared by every detector and by `covers`, so "which device is this"
// is decided in exactly one place. Device keys are serial numbers trimmed and upper-cased (the same device
// arrives with different casing from different Graph collections); ids are lower-cased GUIDs.

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export function normSerial(serial: string | null | undefined): string | null {
  const s = serial?.trim().toUpperCase() ?? '';
  return s === '' ? null : s;
}

/** Graph sends the all-zero GUID for "none" in several id fields. */
export function normId(id: string | null | undefined): string | null {
  const s = id?.trim().toLowerCase() ?? '';
  return s === '' || s === ZERO_GUID ? null : s;
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
  /** The first identity of each device key, in list order. */
  readonly identityByKey: ReadonlyMap<string, AutopilotDevice>;
  /**
   * Keys that more than one identity shares (a duplicate registration), with all of them in list order. Apart from
   * identityByKey, so the fleet's one-identity keys cost no array each (100,000 of them at 100,000 devices).
   */
  readonly identitiesSharingKey: ReadonlyMap<string, readonly AutopilotDevice[]>;
  readonly identityByAadId: ReadonlyMap<string, AutopilotDevice>;
  readonly identityByManagedId: ReadonlyMap<string, AutopilotDevice>;
  readonly managedById: ReadonlyMap<string, ManagedDevice>;
  /** Per serial, the record that checked in last (an older one is a leftover enrollment). */
  readonly managedByKey: ReadonlyMap<string, ManagedDevice>;
  readonly managedByAadId: ReadonlyMap<string, ManagedDevice>;
  /** Entra devices from the sweep list and from every device-prep group's candidates, by deviceId. */
  readonly entraByDeviceId: ReadonlyMap<string, EntraDevice>;
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

/**
 * The first item of each key. Walked from the end so that every item is one `set` (an earlier item overwrites a later
 * one) instead of a `has` and a `set`: the sweep builds six of these over 100,000-device lists. Only looked up, never
 * iterated, so the maps' insertion order does not matter.
 */
function indexBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T> {
  const out = new Map<string, T>();
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as T;
    const k = key(item);
    if (k !== null) out.set(k, item);
  }
  return out;
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
  const identityByKey = new Map<string, AutopilotDevice>();
  const identitiesSharingKey = new Map<string, AutopilotDevice[]>();
  for (const i of s.identities) {
    const k = identityKey(i);
    const first = identityByKey.get(k);
    if (first === undefined) identityByKey.set(k, i);
    else {
      const shared = identitiesSharingKey.get(k);
      if (shared) shared.push(i);
      else identitiesSharingKey.set(k, [first, i]);
    }
  }
  const identityByAadId = indexBy(s.identities, (i) => normId(i.azureAdDeviceId));
  const identityByManagedId = indexBy(s.identities, (i) => normId(i.managedDeviceId));

  const managedById = indexBy(s.managedDevices, (m) => normId(m.id));
  const managedByAadId = indexBy(s.managedDevices, (m) => normId(m.azureAdDeviceId));
  const managedByKey = new Map<string, ManagedDevice>();
  for (const m of s.managedDevices) {
    const k = normSerial(m.serialNumber);
    const prev = k === null ? undefined : managedByKey.get(k);
    if (k !== null && (!prev || (m.lastSyncAt ?? 0) > (prev.lastSyncAt ?? 0))) managedByKey.set(k, m);
  }

  const entraByDeviceId = indexBy(s.entraDevices, (d) => normId(d.deviceId));
  // Then each device-prep group's candidates, as if appended to the sweep's list (the first record of an id wins).
  for (const g of s.devicePrepGroups) {
    for (const d of g.candidates) {
      const k = normId(d.deviceId);
      if (k !== null && !entraByDeviceId.has(k)) entraByDeviceId.set(k, d);
    }
  }

  const eventKey = (e: AutopilotEvent): string => {
    const serial = normSerial(e.serialNumber);
    if (serial) return serial;
    const intuneId = normId(e.deviceId);
    const viaIdentity = intuneId ? identityByManagedId.get(intuneId) : undefined;
    if (viaIdentity) return identityKey(viaIdentity);
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
    identityByKey,
    identitiesSharingKey,
    identityByAadId,
    identityByManagedId,
    managedById,
    managedByKey,
    managedByAadId,
    entraByDeviceId,
    eventsByKey,
    importsByKey,
    queriedSerials,
    eventKey,
  };
}

/** The Intune record of an Autopilot identity: by its managedDeviceId, else serial, else Entra deviceId. */
export function managedForIdentity(L: Lookup, i: AutopilotDevice): ManagedDevice | null {
  const byId = normId(i.managedDeviceId);
  const aad = normId(i.azureAdDeviceId);
  return (
    (byId ? L.managedById.get(byId) : undefined) ??
    L.managedByKey.get(identityKey(i)) ??
    (aad ? L.managedByAadId.get(aad) : undefined) ??
    null
  );
}

/**
 * Latest known registration time: creation of the device's Entra object (Autopilot registration creates it). Imports
 * carry no timestamp in Graph, so they cannot date a registration.
 */
export function registeredAt(L: Lookup, i: AutopilotDevice): number | null {
  const aad = normId(i.azureAdDeviceId);
  return aad ? (L.entraByDeviceId.get(aad)?.createdAt ?? null) : null;
}
