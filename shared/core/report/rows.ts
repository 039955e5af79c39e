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

/**
 * The first `cap` items of a stream in `order`, and how many items there were. A bounded heap: a list over the
 * whole fleet keeps `cap` entries, never one row per device, and nothing fleet-sized is copied or sorted. Items are
 * usually indexes into the snapshot's arrays, so offering one allocates nothing; rows are built for the kept ones.
 * `order` must be total (break ties by input position): the result then equals a stable sort's first `cap`.
 */
export class FirstN<T> {
  total = 0;
  private readonly heap: T[] = [];
  private readonly limit: number;

  constructor(
    private readonly cap: number,
    private readonly order: (a: T, b: T) => number,
  ) {
    // As slice(0, cap) reads it: a fraction rounds down, NaN or a negative keeps nothing, Infinity keeps all.
    this.limit = Math.max(0, Math.trunc(cap)) || 0;
  }

  add(item: T): void {
    this.total += 1;
    const h = this.heap;
    if (h.length < this.limit) {
      h.push(item);
      this.up(h.length - 1);
      return;
    }
    const top = h[0];
    // The heap's root is the last kept item: anything not before it is not among the first `cap`.
    if (top === undefined || !(this.order(item, top) < 0)) return;
    h[0] = item;
    this.down(0);
  }

  /** The kept items in order, as a capped list over everything added. */
  list<R>(toRow: (item: T) => R): CappedList<R> {
    const rows = [...this.heap].sort(this.order).map(toRow);
    return { total: this.total, truncated: this.total > this.cap, rows };
  }

  private after(i: number, j: number): boolean {
    return this.order(this.heap[i] as T, this.heap[j] as T) > 0;
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const t = h[i] as T;
    h[i] = h[j] as T;
    h[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.after(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let last = i;
      if (l < n && this.after(l, last)) last = l;
      if (r < n && this.after(r, last)) last = r;
      if (last === i) return;
      this.swap(i, last);
      i = last;
    }
  }
}
