import { Chunks } from './chunks.js';
import { RowIndex } from './row-index.js';

// Columns of short strings for the fleet tables. Values that repeat across the fleet (a compliance state, an
// enrollment profile name) are held once each and referenced by a code; values unique to a device (a serial
// number, a name) are kept as they are.

/**
 * A code a row: one byte while the column has at most 255 distinct values (an enum, a tenant's few profile names or
 * group tags), two up to 65,535, then four. Eleven such columns a device, so at 300,000 devices a 4-byte code was
 * ~10 MB more than the values need.
 */
export class CodedColumn<T extends string> {
  private codes: Chunks<Uint8Array | Uint16Array | Uint32Array> = new Chunks((n) => new Uint8Array(n));
  private limit = 0xff;
  private readonly values: (T | null)[] = [null];
  private readonly codeOf = new Map<T, number>();
  private length = 0;

  push(value: T | null): void {
    const row = this.length++;
    if (value === null) {
      this.codes.of(row); // code 0
      return;
    }
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codeOf.set(value, code);
      if (code > this.limit) this.widen();
    }
    this.codes.of(row)[this.codes.offset(row)] = code;
  }

  private widen(): void {
    if (this.limit === 0xff) {
      this.codes = this.codes.convert((n) => new Uint16Array(n));
      this.limit = 0xffff;
    } else {
      this.codes = this.codes.convert((n) => new Uint32Array(n));
      this.limit = 0xffffffff;
    }
  }

  get(row: number): T | null {
    return this.values[this.codes.at(row)[this.codes.offset(row)] as number] as T | null;
  }
}

/**
 * An index over a column of string keys (null = no key): the first row of a key wins unless `prefer(row, existing)`
 * says otherwise.
 */
export class KeyIndex {
  private readonly rows: RowIndex;

  constructor(
    private readonly keys: readonly (string | null)[],
    prefer?: (row: number, existing: number) => boolean,
  ) {
    this.rows = new RowIndex(keys.length);
    const same = (a: number, b: number): boolean => keys[a] === keys[b];
    for (let row = 0; row < keys.length; row++) {
      const key = keys[row];
      if (key === null || key === undefined) continue;
      this.rows.put(hashString(key), row, same, prefer);
    }
  }

  row(key: string): number {
    const { rows, keys } = this;
    for (let slot = rows.start(hashString(key)); ; slot = rows.next(slot)) {
      const row = rows.rowAt(slot);
      if (row < 0 || keys[row] === key) return row;
    }
  }
}

/** FNV-1a over a string's UTF-16 code units, for the keys that are not GUIDs (serial numbers). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) >>> 0;
}
