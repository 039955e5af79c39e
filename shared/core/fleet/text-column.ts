import { Chunks } from './chunks.js';
import { RowIndex } from './row-index.js';

// Columns of short strings for the fleet tables. Values that repeat across the fleet (a compliance state, an
// enrollment profile name) are held once each and referenced by a 4-byte code; values unique to a device (a serial
// number, a name) are kept as they are.

export class CodedColumn<T extends string> {
  private readonly codes = new Chunks((n) => new Uint32Array(n));
  private readonly values: (T | null)[] = [null];
  private readonly codeOf = new Map<T, number>();
  private length = 0;

  push(value: T | null): void {
    const row = this.length++;
    const codes = this.codes.of(row);
    if (value === null) return; // code 0
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codeOf.set(value, code);
    }
    codes[this.codes.offset(row)] = code;
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
    for (let row = 0; row < keys.length; row++) {
      const key = keys[row];
      if (key === null || key === undefined) continue;
      this.rows.put(hashString(key), row, (other) => keys[other] === key, prefer);
    }
  }

  row(key: string): number {
    return this.rows.find(hashString(key), (row) => this.keys[row] === key);
  }
}

/** FNV-1a over a string's UTF-16 code units, for the keys that are not GUIDs (serial numbers). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) >>> 0;
}
