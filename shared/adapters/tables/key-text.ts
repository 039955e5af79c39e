import { isHashedKey, unescapeKey } from '../../core/keys.js';
import { readString, type Props } from './table-helpers.js';

// A key too long for Table Storage is stored as a hash (core/keys.ts), which cannot be turned back into the
// value. The value then rides along as a property of the same entity, so a read returns exactly what was
// written; short keys stay self-describing and carry nothing extra.

export const PARTITION_KEY_TEXT = 'partitionKeyText';
export const ROW_KEY_TEXT = 'rowKeyText';

/** `{ [property]: value }` when `key` is a hash of `value`, else nothing. */
export function keyTextProp(property: string, key: string, value: string): Props {
  return isHashedKey(key) ? { [property]: value } : {};
}

/** The value behind `key`: the kept text for a hashed key, the unescaped key otherwise. */
export function keyValue(key: string, props: Props, property: string): string {
  if (!isHashedKey(key)) return unescapeKey(key);
  const text = readString(props, property);
  if (text === null) throw new Error(`stored entity has a hashed key but no ${property}`);
  return text;
}
