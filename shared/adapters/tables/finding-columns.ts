import { ACTIONS, type RemedyTarget, type Subject } from '../../core/model/index.js';
import type { Json } from '../../ports/stores.port.js';

// The finding row's subject and remedy columns, read defensively: a row is tenant-influenced data (serials, group
// names) and may have been written by an older version, which kept subject and remedy inside the evidence JSON.

type JsonObject = { readonly [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json | undefined): string | null => (typeof v === 'string' ? v : null);

/** A stored subject, or null when the JSON is not one. */
export function readSubject(v: Json | undefined): Subject | null {
  if (!isObject(v)) return null;
  const key = text(v.key);
  if (key === null) return null;
  switch (v.kind) {
    case 'device':
      return { kind: 'device', key, serialNumber: text(v.serialNumber), autopilotId: text(v.autopilotId) };
    case 'group': {
      const groupId = text(v.groupId);
      return groupId === null ? null : { kind: 'group', key, groupId };
    }
    case 'tenant':
      return key === 'tenant' ? { kind: 'tenant', key } : null;
    default:
      return null;
  }
}

/**
 * A stored remedy, or null. Only its action name is checked: a stored remedy is shown (alerts, the device page),
 * never acted on — the worker re-derives every target from the tenant before it writes.
 */
export function readRemedy(v: Json | undefined): RemedyTarget | null {
  if (!isObject(v) || !(ACTIONS as readonly Json[]).includes(v.action ?? null)) return null;
  return v as unknown as RemedyTarget;
}

export interface FindingColumns {
  readonly evidence: Json;
  readonly subject?: Subject;
  readonly remedy?: RemedyTarget | null;
}

/**
 * Evidence, subject and remedy of a row (undefined = the column is absent). An older row has no subject column and
 * kept both under reserved keys of its evidence: they are split back out, so every row reads the same way.
 */
export function splitFindingColumns(
  evidence: Json,
  subject: Json | undefined,
  remedy: Json | undefined,
): FindingColumns {
  if (subject === undefined && isObject(evidence) && 'subject' in evidence) {
    const { subject: legacySubject, remedy: legacyRemedy, ...rest } = evidence;
    return withSubject({ evidence: rest, remedy: readRemedy(legacyRemedy) }, readSubject(legacySubject));
  }
  return withSubject(
    { evidence, ...(remedy === undefined ? {} : { remedy: readRemedy(remedy) }) },
    subject === undefined ? null : readSubject(subject),
  );
}

const withSubject = (c: FindingColumns, subject: Subject | null): FindingColumns =>
  subject === null ? c : { ...c, subject };
