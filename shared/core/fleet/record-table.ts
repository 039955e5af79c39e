// What the fleet tables share: records go in one by one (`add`, page by page as a sweep reads them) until the first
// look-up builds the indexes; from then on the table is sealed, since an index built earlier would not cover a later
// row. Records come out built anew on each read (`at`, iteration).

export abstract class RecordTable<T> implements Iterable<T> {
  private sealed = false;

  /** A table of `records` (the tests' and incremental polls' arrays). */
  static from<T, Table extends RecordTable<T>>(this: new () => Table, records: Iterable<T>): Table {
    const table = new this();
    for (const record of records) table.add(record);
    return table;
  }

  abstract get length(): number;

  /** The record of a row, built anew on every call. */
  abstract at(row: number): T;

  protected abstract push(record: T): void;

  add(record: T): void {
    if (this.sealed) throw new Error(`${this.constructor.name}: rows cannot be added once it has been looked up`);
    this.push(record);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let row = 0; row < this.length; row++) yield this.at(row);
  }

  /** Called by a subclass before it builds its indexes. */
  protected seal(): void {
    this.sealed = true;
  }
}
