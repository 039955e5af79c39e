import type { Json } from '../../ports/stores.port.js';
import { NON_ASCII } from './ascii-json-policy.js';
import { readNumber, readString, type Props } from './table-helpers.js';

// Large strings. The service allows 64 KiB per property (32 Ki UTF-16 units) and 1 MiB per entity;
// Azurite enforces the entity limit on the UTF-8 request body instead. Long text is therefore split into
// `${name}_0..n` (+ `${name}_parts`) and rows are budgeted by the larger of both measures.

export const PART_CHARS = 32_000;
/** Bytes of split text per entity, leaving room for keys, names and the other properties under 1 MiB. */
export const ENTITY_BUDGET = 900_000;

/** What a string costs in an entity: its UTF-16 size (the service) or its escaped JSON size (the wire). */
export function textCost(text: string): number {
  return Math.max(2 * text.length, wireBytes(text));
}

/** Size of the string as a JSON literal once ascii-json-policy has turned non-ASCII into \uXXXX. */
function wireBytes(text: string): number {
  return JSON.stringify(text).replace(NON_ASCII, '\\u0000').length;
}

export function splitString(value: string, size = PART_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < value.length) {
    let end = Math.min(start + size, value.length);
    // Never cut a surrogate pair: half a character is not valid UTF-16 and the service would mangle it.
    const last = value.charCodeAt(end - 1);
    if (end < value.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(value.slice(start, end));
    start = end;
  }
  return parts;
}

/** Groups consecutive parts into rows of at most ENTITY_BUDGET (the first row has `firstBudget`). */
export function groupParts(parts: readonly string[], firstBudget = ENTITY_BUDGET): string[][] {
  const groups: string[][] = [[]];
  let budget = firstBudget;
  for (const part of parts) {
    const cost = textCost(part);
    const current = groups[groups.length - 1] ?? [];
    // The first row may stay empty when the caller's other properties used up its budget; a part always fits a
    // new row on its own (32,000 units cost at most 192 KB on the wire).
    if (cost > budget) {
      groups.push([part]);
      budget = ENTITY_BUDGET - cost;
    } else {
      current.push(part);
      budget -= cost;
    }
  }
  return groups;
}

export function partsProps(name: string, parts: readonly string[]): Props {
  const props: Props = { [`${name}_parts`]: parts.length };
  parts.forEach((p, i) => (props[`${name}_${i}`] = p));
  return props;
}

export function readParts(e: Props, name: string): string {
  const count = readNumber(e, `${name}_parts`) ?? 0;
  let out = '';
  for (let i = 0; i < count; i += 1) out += readString(e, `${name}_${i}`) ?? '';
  return out;
}

/** A JSON value as (split) string properties; throws if it could never fit one entity. */
export function jsonProps(name: string, value: Json): Props {
  const text = JSON.stringify(value);
  if (textCost(text) > ENTITY_BUDGET)
    throw new Error(`${name} is too large for one table entity (${text.length} characters)`);
  return partsProps(name, splitString(text));
}

export function readJson(e: Props, name: string): Json {
  const text = readParts(e, name);
  return text === '' ? null : (JSON.parse(text) as Json);
}
