// An open-addressing hash index from a key to a row number, in one Int32Array: 4 bytes a slot, 1.5 to 3 slots a
// row (a load factor of 1/3 to 2/3), where a Map spends ~30 bytes a row and, keyed by string, keeps the key string
// alive too. The key itself stays in the table's columns; the index holds only row numbers and asks the caller
// whether a row matches.

export class RowIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(rows: number) {
    let capacity = 16;
    // The smallest power of two with room for the rows at a load factor of 2/3, where linear probing still finds a
    // key in two probes on average: doubling for a load factor of 1/2 would make some sizes four slots a row (the
    // seven indexes of a 300,000-device sweep held 28 MB at 2^20 slots each, 14 MB at 2^19).
    while (capacity * 2 < rows * 3) capacity *= 2;
    this.slots = new Int32Array(capacity); // 0 = empty, else row + 1
    this.mask = capacity - 1;
  }

  /**
   * Adds `row` under `hash`. If a row with the same key (per `same(row, existing)`) is there already it stays, unless
   * `prefer(row, existing)` says the new one wins. `same` compares two rows, so an index is built with one function,
   * not a closure per row (a 300,000-device sweep builds seven indexes: ~2 million short-lived closures).
   */
  put(
    hash: number,
    row: number,
    same: (row: number, existing: number) => boolean,
    prefer?: (row: number, existing: number) => boolean,
  ): void {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const at = this.slots[i] as number;
      if (at === 0) {
        this.slots[i] = row + 1;
        return;
      }
      if (same(row, at - 1)) {
        if (prefer?.(row, at - 1)) this.slots[i] = row + 1;
        return;
      }
    }
  }

  // The probe sequence, for a caller that compares rows itself (no closure per lookup on a hot path):
  // for (let i = index.start(hash); ; i = index.next(i)) { const row = index.rowAt(i); if (row < 0) miss; … }
  start(hash: number): number {
    return hash & this.mask;
  }

  next(slot: number): number {
    return (slot + 1) & this.mask;
  }

  /** The row in a slot of the probe sequence, or -1 where the sequence ends. */
  rowAt(slot: number): number {
    return (this.slots[slot] as number) - 1;
  }
}
