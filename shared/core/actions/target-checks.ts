import { isGuid } from '../model/index.js';
import { MAX_SERIAL_CHARS, serialProblem as unusableSerial } from '../tenant-text.js';
import { normSerial, trimSerial } from '../fleet/device-keys.js';

export { sameSerial } from '../fleet/device-keys.js';

// What a queued target's fields must look like: ids are GUIDs, serial numbers are tenant text but usable. A queue
// message is a request, not an instruction: anyone with send rights on the queue can write one.

/** Serial numbers are tenant data, not ids: any text, but bounded (Intune shows at most a few dozen characters). */
export const MAX_SERIAL_LENGTH = MAX_SERIAL_CHARS;

export function guidProblem(name: string, value: unknown): string[] {
  return isGuid(value) ? [] : [name];
}

/**
 * Why `serial` cannot be a message's serial number, or null. The poll's rule for a usable serial (tenant-text.ts:
 * no control characters, valid Unicode, at most 256 characters once trimmed), and not blank: the poll never sends
 * any other, and a serial becomes a history key, which a lone surrogate (URIError in the Tables SDK) or an
 * unbounded length would break after the claim, losing the record.
 */
export function messageSerialProblem(serial: string): string | null {
  if (trimSerial(serial) === '') return 'serial number is blank';
  return unusableSerial(serial);
}

export function serialProblem(name: string, value: unknown, nullable: boolean): string[] {
  if (value === null && nullable) return [];
  if (typeof value !== 'string') return [`${name} (serial number must be text)`];
  const problem = messageSerialProblem(value);
  return problem === null ? [] : [`${name} (${problem})`];
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

/** History keys: serials as the detectors key devices (normSerial: ASCII-trimmed, ASCII upper-case, null when blank), ids lower-case. */
export const serialKey = (s: string | null): string | null => normSerial(s);
export const idKey = (id: string): string => id.trim().toLowerCase();
