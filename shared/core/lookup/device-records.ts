import { normId, normSerial } from '../detect/lookup.js';
import type { AutopilotDevice, EntraDevice, ManagedDevice } from '../model/index.js';
import { serialProblem } from '../tenant-text.js';

// The rules of the technician's device lookup, pure. One physical device has up to three records: its Autopilot
// identity, its Entra device and its Intune managed device. They point at each other through the Entra deviceId
// (identity azureAdDeviceId, managedDevice azureADDeviceId), the Intune id (identity managedDeviceId) and the
// serial number (identity and managed device). Records found for a key are grouped along those links; each
// group is one device. One group: the device. Several: the key is ambiguous. None: unknown.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest key accepted: names and serials are far shorter; anything longer can match nothing. */
export const MAX_DEVICE_KEY_CHARS = 256;

export type DeviceKey =
  /** A GUID: an Autopilot identity id, an Entra object id, an Entra deviceId or an Intune managed device id. */
  | { readonly kind: 'id'; readonly value: string }
  /** Anything else: a serial number or a device name (Entra displayName, Intune deviceName). */
  | { readonly kind: 'serial-or-name'; readonly value: string };

/** The key, classified; or why no device can have it (for a usage error naming the key). */
export function parseDeviceKey(
  raw: string,
): { readonly ok: true; readonly key: DeviceKey } | { readonly ok: false; readonly problem: string } {
  const value = raw.trim();
  if (value === '') return { ok: false, problem: 'expected a serial number, a device name or a device id' };
  const problem = serialProblem(value);
  if (problem !== null) return { ok: false, problem: problem.replace(/^serial number /, 'the key ') };
  if (GUID.test(value)) return { ok: true, key: { kind: 'id', value: value.toLowerCase() } };
  return { ok: true, key: { kind: 'serial-or-name', value } };
}

export interface DeviceRecords {
  readonly identity: AutopilotDevice | null;
  readonly entra: EntraDevice | null;
  readonly managed: ManagedDevice | null;
}

type AnyRecord =
  | { readonly kind: 'identity'; readonly r: AutopilotDevice }
  | { readonly kind: 'entra'; readonly r: EntraDevice }
  | { readonly kind: 'managed'; readonly r: ManagedDevice };

/** The link values a record carries, each prefixed by what it is so a serial never equals an id. */
function linksOf(rec: AnyRecord): string[] {
  const out: (string | null)[] = [];
  const serial = (s: string | null) => (normSerial(s) === null ? null : `serial:${normSerial(s)}`);
  const deviceId = (s: string | null) => (normId(s) === null ? null : `entra:${normId(s)}`);
  const intune = (s: string | null) => (normId(s) === null ? null : `intune:${normId(s)}`);
  switch (rec.kind) {
    case 'identity':
      out.push(
        serial(rec.r.serialNumber),
        deviceId(rec.r.azureAdDeviceId),
        intune(rec.r.managedDeviceId),
        `ap:${rec.r.id.toLowerCase()}`,
      );
      break;
    case 'entra':
      out.push(deviceId(rec.r.deviceId), `object:${rec.r.objectId.toLowerCase()}`);
      break;
    case 'managed':
      out.push(serial(rec.r.serialNumber), deviceId(rec.r.azureAdDeviceId), intune(rec.r.id));
      break;
  }
  return out.filter((l): l is string => l !== null);
}

/**
 * Groups the records found for one key into devices (connected by any shared link). Within a group, when one
 * kind has several records (e.g. two Intune records of a re-enrolled serial), the one linked to the others by id
 * wins, then the most recently active; the rest are counted in `extra` so the view can say so.
 */
export function groupDeviceRecords(found: {
  readonly identities?: readonly AutopilotDevice[];
  readonly entra?: readonly EntraDevice[];
  readonly managed?: readonly ManagedDevice[];
}): (DeviceRecords & { readonly extra: number })[] {
  const records: AnyRecord[] = [
    ...(found.identities ?? []).map((r) => ({ kind: 'identity', r }) as const),
    ...(found.entra ?? []).map((r) => ({ kind: 'entra', r }) as const),
    ...(found.managed ?? []).map((r) => ({ kind: 'managed', r }) as const),
  ];
  // Union-find over record indexes, joined through shared link values.
  const parent = records.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  const owner = new Map<string, number>();
  const seen = new Set<string>();
  records.forEach((rec, i) => {
    // The same record found twice (e.g. by serial and by name) is one record.
    const self = `${rec.kind}:${rec.kind === 'entra' ? rec.r.objectId : rec.r.id}`.toLowerCase();
    if (seen.has(self)) {
      parent[i] = root(owner.get(self) ?? i);
      return;
    }
    seen.add(self);
    owner.set(self, i);
    for (const link of linksOf(rec)) {
      const other = owner.get(link);
      if (other === undefined) owner.set(link, i);
      else parent[root(i)] = root(other);
    }
  });
  const groups = new Map<number, AnyRecord[]>();
  const dedupe = new Set<string>();
  records.forEach((rec, i) => {
    const self = `${rec.kind}:${rec.kind === 'entra' ? rec.r.objectId : rec.r.id}`.toLowerCase();
    if (dedupe.has(self)) return;
    dedupe.add(self);
    const g = groups.get(root(i)) ?? [];
    g.push(rec);
    groups.set(root(i), g);
  });
  return [...groups.values()].map(pickPerKind);
}

function pickPerKind(group: readonly AnyRecord[]): DeviceRecords & { readonly extra: number } {
  const identities = group.flatMap((g) => (g.kind === 'identity' ? [g.r] : []));
  const entras = group.flatMap((g) => (g.kind === 'entra' ? [g.r] : []));
  const manageds = group.flatMap((g) => (g.kind === 'managed' ? [g.r] : []));
  const identity = best(identities, (i) => i.lastContactedAt);
  const entraIds = new Set(
    [identity?.azureAdDeviceId, ...manageds.map((m) => m.azureAdDeviceId)].map(normId).filter((x) => x !== null),
  );
  const entra = best(entras, (e) =>
    entraIds.has(normId(e.deviceId) ?? '') ? Number.MAX_SAFE_INTEGER : (e.createdAt ?? 0),
  );
  const wantedIntune = normId(identity?.managedDeviceId);
  const entraDeviceId = normId(entra?.deviceId);
  const managed = best(manageds, (m) =>
    normId(m.id) === wantedIntune || (entraDeviceId !== null && normId(m.azureAdDeviceId) === entraDeviceId)
      ? Number.MAX_SAFE_INTEGER
      : (m.lastSyncAt ?? 0),
  );
  return {
    identity,
    entra,
    managed,
    extra: group.length - [identity, entra, managed].filter((x) => x !== null).length,
  };
}

function best<T>(items: readonly T[], score: (t: T) => number | null): T | null {
  let top: T | null = null;
  let topScore = -Infinity;
  for (const item of items) {
    const s = score(item) ?? 0;
    if (top === null || s > topScore) {
      top = item;
      topScore = s;
    }
  }
  return top;
}

/** The serial number the records agree on (identity first), upper-cased as findings and history key it. */
export function serialOf(records: DeviceRecords): string | null {
  return normSerial(records.identity?.serialNumber) ?? normSerial(records.managed?.serialNumber);
}

/** Blocked for (userless) re-enrollment: what the Autopilot devices blade shows as blocked. */
export function isBlockedIdentity(identity: AutopilotDevice): boolean {
  return identity.enrollmentState === 'blocked' || identity.userlessEnrollmentStatus === 'blocked';
}
