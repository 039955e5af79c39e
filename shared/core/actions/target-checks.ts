import { isGuid } from '../model/index.js';

// What a queued target's fields must look like: ids are GUIDs, serial numbers are tenant text but bounded. A queue
// message is a request, not an instruction: anyone with send rights on the queue can write one.

/** Serial numbers are tenant data, not ids: any text, but bounded (Intune shows at most a few dozen characters). */
export const MAX_SERIAL_LENGTH = 256;

export function guidProblem(name: string, value: unknown): string[] {
  return isGuid(value) ? [] : [name];
}

export function serialProblem(name: string, value: unknown, nullable: boolean): string[] {
  if (value === null && nullable) return [];
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_SERIAL_LENGTH)
    return [`${name} (serial number must be 1-${MAX_SERIAL_LENGTH} characters)`];
  return [];
}

/**
 * Ids that appear more than once in `ids` (compared lower-cased, as Graph and the history keys compare them), one
 * problem per repeat. A batch naming one object twice is no batch the poll sends: Graph is asked to bind it twice,
 * and its two outcome rows would share one history key.
 */
export function duplicateIdProblems(name: (i: number) => string, ids: readonly unknown[]): string[] {
  const seen = new Set<string>();
  return ids.flatMap((id, i) => {
    if (typeof id !== 'string') return [];
    const key = id.trim().toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [`${name(i)} (repeats an earlier member)`];
  });
}

/** History keys: serials upper-case and trimmed (null when empty), ids lower-case. */
export const serialKey = (s: string | null): string | null =>
  s === null || s.trim() === '' ? null : s.trim().toUpperCase();
export const idKey = (id: string): string => id.trim().toLowerCase();
