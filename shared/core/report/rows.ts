import type { AutopilotDevice, ManagedDevice } from '../model/index.js';
import type { CappedList, DeviceRow } from './types.js';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
export const DEFAULT_LIST_CAP = 500;

/** A record with every key present, built from a closed list of keys (enums, severities). */
export function recordOf<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  // fromEntries loses the key type; the keys are exactly `keys`, so the assertion is sound.
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

export function capList<T>(rows: readonly T[], cap: number): CappedList<T> {
  return { total: rows.length, truncated: rows.length > cap, rows: rows.slice(0, Math.max(0, cap)) };
}

/** Stable order for device lists: serial, then id (ties are rare but must not depend on input order). */
export function byDevice(a: DeviceRow, b: DeviceRow): number {
  return (
    cmp(a.serialNumber ?? '', b.serialNumber ?? '') ||
    cmp(a.autopilotId ?? a.managedDeviceId ?? '', b.autopilotId ?? b.managedDeviceId ?? '')
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function identityRow(d: AutopilotDevice, state: string): DeviceRow {
  return {
    serialNumber: d.serialNumber,
    manufacturer: d.manufacturer,
    model: d.model,
    name: d.displayName,
    state,
    autopilotId: d.id,
    azureAdDeviceId: d.azureAdDeviceId,
    managedDeviceId: d.managedDeviceId,
    lastSeenAt: d.lastContactedAt,
  };
}

export function managedRow(d: ManagedDevice, state: string): DeviceRow {
  return {
    serialNumber: d.serialNumber,
    manufacturer: null,
    model: null,
    name: d.deviceName,
    state,
    autopilotId: null,
    azureAdDeviceId: d.azureAdDeviceId,
    managedDeviceId: d.id,
    lastSeenAt: d.lastSyncAt,
  };
}
