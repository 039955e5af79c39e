import { normId } from './device-keys.js';
import { hashWords, LOWER_GUID, NOT_GUID, packGuid, unpackGuid } from './guid-words.js';
import { Chunks } from './chunks.js';
import { RowIndex } from './row-index.js';

// One id field of a fleet table (an Intune id, an Entra deviceId): packed GUIDs in a typed array, with the rare value
// that is not a lower-case GUID kept as its string beside them, so every value reads back exactly as Graph sent it.

/** How a row's value is held. */
const NULL = 0;
/** A lower-case GUID: the words are the value and its key. */
const PACKED = 1;
/** Another string, kept in `odd`; its key (normId) is a GUID, in the words. */
const ODD_GUID_KEY = 2;
/** Another string, kept in `odd`; its key is not a GUID (or there is none). */
const ODD = 3;

const probeWords = new Uint32Array(4);

export class IdColumn {
  private readonly words = new Chunks((n) => new Uint32Array(n), 4);
  private readonly state = new Chunks((n) => new Uint8Array(n));
  private readonly odd = new Map<number, string>();
  private length = 0;

  push(value: string | null): void {
    const row = this.length++;
    const state = this.state.of(row);
    const i = this.state.offset(row);
    if (value === null) {
      state[i] = NULL;
      return;
    }
    const words = this.words.of(row);
    const at = this.words.offset(row);
    const packed = packGuid(value, words, at);
    if (packed === LOWER_GUID) {
      state[i] = PACKED;
      return;
    }
    this.odd.set(row, value);
    const key = packed === NOT_GUID ? normId(value) : null;
    // An upper-case GUID packs to its key already; a padded one may once trimmed.
    state[i] = packed !== NOT_GUID || (key !== null && packGuid(key, words, at) !== NOT_GUID) ? ODD_GUID_KEY : ODD;
  }

  get(row: number): string | null {
    const s = this.stateOf(row);
    if (s === NULL) return null;
    return s === PACKED ? unpackGuid(this.words.at(row), this.words.offset(row)) : (this.odd.get(row) as string);
  }

  /**
   * An index of `normId(value)` to row, over rows 0…length-1: the first row of a key wins, unless `prefer(row,
   * existing)` says otherwise. Built once the table is complete.
   */
  index(prefer?: (row: number, existing: number) => boolean): IdIndex {
    return new IdIndex(this, this.length, prefer);
  }

  /** How the row's value is held (NULL, PACKED, ODD_GUID_KEY, ODD). */
  stateOf(row: number): number {
    return this.state.at(row)[this.state.offset(row)] as number;
  }

  /** The chunk of packed words holding the row, and where its four words start. */
  wordsOf(row: number): Uint32Array {
    return this.words.at(row);
  }

  wordsOffset(row: number): number {
    return this.words.offset(row);
  }

  oddValue(row: number): string | undefined {
    return this.odd.get(row);
  }

  /** Whether the row has a key (`normId` of its value is not null), without building the value's string. */
  hasKey(row: number): boolean {
    const s = this.stateOf(row);
    if (s === NULL) return false;
    if (s === ODD) return normId(this.odd.get(row)) !== null;
    const words = this.wordsOf(row);
    return !isZero(words, this.wordsOffset(row));
  }
}

const isZero = (w: Uint32Array, at: number): boolean =>
  w[at] === 0 && w[at + 1] === 0 && w[at + 2] === 0 && w[at + 3] === 0;

function sameWords(a: Uint32Array, at: number, b: Uint32Array, bt: number): boolean {
  return a[at] === b[bt] && a[at + 1] === b[bt + 1] && a[at + 2] === b[bt + 2] && a[at + 3] === b[bt + 3];
}

export class IdIndex {
  private readonly byWords: RowIndex;
  /** Keys that are not GUIDs: hostile or unexpected data, a handful at most. */
  private readonly byString = new Map<string, number>();

  constructor(
    private readonly column: IdColumn,
    rows: number,
    prefer?: (row: number, existing: number) => boolean,
  ) {
    this.byWords = new RowIndex(rows);
    const same = (a: number, b: number): boolean =>
      sameWords(column.wordsOf(a), column.wordsOffset(a), column.wordsOf(b), column.wordsOffset(b));
    for (let row = 0; row < rows; row++) {
      const s = column.stateOf(row);
      if (s === PACKED || s === ODD_GUID_KEY) {
        const words = column.wordsOf(row);
        const at = column.wordsOffset(row);
        if (isZero(words, at)) continue; // the all-zero GUID means "none"
        this.byWords.put(hashWords(words, at), row, same, prefer);
      } else if (s === ODD) {
        const key = normId(column.oddValue(row));
        if (key === null) continue;
        const existing = this.byString.get(key);
        if (existing === undefined || prefer?.(row, existing)) this.byString.set(key, row);
      }
    }
  }

  /** The last key asked for and its row: detectors often ask for one device's id several times in a row. */
  private lastKey: string | null = null;
  private lastRow = -1;

  /** The row of a key as `normId` gives it, or -1. */
  row(key: string): number {
    if (key === this.lastKey) return this.lastRow;
    this.lastKey = key;
    this.lastRow = this.find(key);
    return this.lastRow;
  }

  /**
   * The row of the key of row `row` of another column (`normId` of its value), or -1: the same answer as
   * `row(normId(value))`, but a packed id is probed by its words, so a pass that joins two fleet tables builds no string.
   */
  rowFor(other: IdColumn, row: number): number {
    const s = other.stateOf(row);
    if (s === NULL) return -1;
    if (s === ODD) {
      const key = normId(other.oddValue(row));
      return key === null ? -1 : this.row(key);
    }
    const words = other.wordsOf(row);
    const at = other.wordsOffset(row);
    const { byWords, column } = this;
    for (let slot = byWords.start(hashWords(words, at)); ; slot = byWords.next(slot)) {
      const found = byWords.rowAt(slot);
      if (found < 0 || sameWords(column.wordsOf(found), column.wordsOffset(found), words, at)) return found;
    }
  }

  private find(key: string): number {
    if (packGuid(key, probeWords, 0) === NOT_GUID) return this.byString.get(key) ?? -1;
    const { byWords, column } = this;
    for (let slot = byWords.start(hashWords(probeWords, 0)); ; slot = byWords.next(slot)) {
      const row = byWords.rowAt(slot);
      if (row < 0 || sameWords(column.wordsOf(row), column.wordsOffset(row), probeWords, 0)) return row;
    }
  }
}
