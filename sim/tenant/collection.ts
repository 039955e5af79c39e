/**
 * An ordered collection of Graph objects addressed by a stable index, so paging cursors stay valid.
 * Index space: scenario-listed items, then generated items (computed from their index on demand,
 * so 100,000 devices cost no memory until touched), then items added later. A change to any item is
 * stored as an override of its index; removal leaves a hole. Lookups by id and by indexed fields use
 * lazily built maps that are kept up to date incrementally.
 */
export interface GeneratedSource<T> {
  count: number;
  /** Undefined means "no object at this index" (e.g. a planted missing Entra device). */
  at(index: number): T | undefined;
}

type Keyed = { id: string };

const key = (v: unknown): string | null => (typeof v === 'string' ? v.toLowerCase() : null);

export class Collection<T extends Keyed> {
  private explicit: T[];
  private extra: T[] = [];
  private readonly overrides = new Map<number, T>();
  private readonly removed = new Set<number>();
  private idIndex: Map<string, number> | null = null;
  /** Built with idIndex: the stored spelling of every id that is not already lower-case (see `idOf`). */
  private idCase: Map<string, string> | null = null;
  private readonly fieldIndexes = new Map<string, Map<string, number[]>>();
  /**
   * Fields indexed as a side effect of walking the collection in order (a full page walk costs nothing more then):
   * their indexes cover [0, walked); the first look-up completes the rest.
   */
  private readonly walkIndexed = new Set<string>();
  private walked = 0;
  private liveCount: number | null = null;

  constructor(
    items: T[] = [],
    private readonly generated: GeneratedSource<T> | null = null,
  ) {
    this.explicit = [...items];
    const seen = new Set<string>();
    for (const item of items) {
      const k = item.id.toLowerCase();
      if (seen.has(k)) throw new Error(`duplicate id '${item.id}'`);
      seen.add(k);
    }
  }

  /** Upper bound of the index space (holes included). */
  size(): number {
    return this.explicit.length + (this.generated?.count ?? 0) + this.extra.length;
  }

  at(i: number): T | undefined {
    if (this.removed.has(i)) return undefined;
    const o = this.overrides.get(i);
    if (o) return o;
    if (i < this.explicit.length) return this.explicit[i];
    const g = i - this.explicit.length;
    const gc = this.generated?.count ?? 0;
    if (g < gc) return this.generated?.at(g);
    return this.extra[g - gc];
  }

  *entries(from = 0): Generator<[number, T]> {
    const n = this.size();
    for (let i = from; i < n; i++) {
      const item = this.at(i);
      if (i === this.walked && this.walkIndexed.size > 0) {
        if (item) this.indexItem(i, item, this.walkIndexed);
        this.walked = i + 1;
      }
      if (item) yield [i, item];
    }
  }

  /** Index these fields while the collection is walked in order (see `walkIndexed`); `candidates` reads them. */
  indexWhileWalking(fields: readonly string[]): void {
    const fresh = fields.filter((f) => !this.fieldIndexes.has(f));
    for (const f of fresh) this.fieldIndexes.set(f, new Map());
    // The others already cover [0, walked): a new one catches up over that range, then walks with them.
    for (let i = 0; i < this.walked; i++) {
      const item = this.at(i);
      if (item) this.indexItem(i, item, fresh);
    }
    for (const f of fresh) this.walkIndexed.add(f);
  }

  private indexItem(i: number, item: T, fields: Iterable<string>): void {
    for (const field of fields) {
      const k = key((item as Record<string, unknown>)[field]);
      const idx = this.fieldIndexes.get(field);
      if (k !== null && idx) pushSorted(idx, k, i);
    }
  }

  values(): T[] {
    return [...this.entries()].map(([, v]) => v);
  }

  count(): number {
    if (this.liveCount === null) {
      let c = 0;
      const n = this.size();
      for (let i = 0; i < n; i++) if (this.at(i)) c++;
      this.liveCount = c;
    }
    return this.liveCount;
  }

  indexOf(id: string): number | undefined {
    if (!this.idIndex) {
      this.idIndex = new Map();
      this.idCase = new Map();
      for (const [i, item] of this.entries()) {
        const k = item.id.toLowerCase();
        this.idIndex.set(k, i);
        if (k !== item.id) this.idCase.set(k, item.id);
      }
    }
    return this.idIndex.get(id.toLowerCase());
  }

  /**
   * The id as the object stores it, for any spelling of it; undefined when there is no such object. Answered from the
   * id maps, so a generated object is not computed just to learn its id (a members page of `$select=id`).
   */
  idOf(id: string): string | undefined {
    if (this.indexOf(id) === undefined) return undefined;
    const k = id.toLowerCase();
    return this.idCase?.get(k) ?? k;
  }

  get(id: string): T | undefined {
    const i = this.indexOf(id);
    return i === undefined ? undefined : this.at(i);
  }

  has(id: string): boolean {
    return this.indexOf(id) !== undefined;
  }

  add(item: T): void {
    if (this.has(item.id)) throw new Error(`an object with id '${item.id}' already exists`);
    this.extra.push(item);
    this.track(this.size() - 1, undefined, item);
  }

  /** Replace the object with the same id; returns the previous version. */
  replace(item: T): T {
    const i = this.indexOf(item.id);
    const prev = i === undefined ? undefined : this.at(i);
    if (i === undefined || !prev) throw new Error(`no object with id '${item.id}'`);
    this.overrides.set(i, item);
    this.track(i, prev, item);
    return prev;
  }

  patch(id: string, patch: Partial<T>): T {
    const prev = this.get(id);
    if (!prev) throw new Error(`no object with id '${id}'`);
    const next = { ...prev, ...patch, id: prev.id };
    this.replace(next);
    return next;
  }

  remove(id: string): boolean {
    const i = this.indexOf(id);
    const prev = i === undefined ? undefined : this.at(i);
    if (i === undefined || !prev) return false;
    this.removed.add(i);
    this.overrides.delete(i);
    this.track(i, prev, undefined);
    return true;
  }

  /** Re-order scenario items (events are kept sorted); indexes are rebuilt. */
  reorder(compare: (a: T, b: T) => number): void {
    if (this.generated) throw new Error('cannot reorder a collection with generated items');
    this.explicit = this.values().sort(compare);
    this.extra = [];
    this.overrides.clear();
    this.removed.clear();
    this.idIndex = null;
    this.idCase = null;
    this.fieldIndexes.clear();
    const fields = [...this.walkIndexed];
    this.walkIndexed.clear();
    this.walked = 0;
    this.indexWhileWalking(fields);
    this.liveCount = null;
  }

  /** Sorted indexes whose `field` equals one of `values` (lower-cased), via a lazily built index. */
  candidates(field: string, values: readonly string[]): number[] {
    // `id in (…)` / `id eq …`: the id map answers it, with no second index of the whole collection to build.
    if (field === 'id') {
      const hits = new Set<number>();
      for (const v of values) {
        const i = this.indexOf(v);
        if (i !== undefined) hits.add(i);
      }
      return [...hits].sort((a, b) => a - b);
    }
    if (this.walkIndexed.has(field) && this.walked < this.size()) {
      for (let i = this.walked; i < this.size(); i++) {
        const item = this.at(i);
        if (item) this.indexItem(i, item, this.walkIndexed);
      }
      this.walked = this.size();
    }
    let idx = this.fieldIndexes.get(field);
    if (!idx) {
      idx = new Map();
      for (const [i, item] of this.entries()) {
        const k = key((item as Record<string, unknown>)[field]);
        if (k !== null) pushSorted(idx, k, i);
      }
      this.fieldIndexes.set(field, idx);
    }
    const out = new Set<number>();
    for (const v of values) for (const i of idx.get(v) ?? []) out.add(i);
    return [...out].sort((a, b) => a - b);
  }

  private track(i: number, prev: T | undefined, next: T | undefined): void {
    this.liveCount = null;
    if (this.idIndex) {
      if (prev) {
        this.idIndex.delete(prev.id.toLowerCase());
        this.idCase?.delete(prev.id.toLowerCase());
      }
      if (next) {
        const k = next.id.toLowerCase();
        this.idIndex.set(k, i);
        if (k !== next.id) this.idCase?.set(k, next.id);
      }
    }
    for (const [field, idx] of this.fieldIndexes) {
      // Not walked that far yet: the walk indexes the item as it is then.
      if (i >= this.walked && this.walkIndexed.has(field)) continue;
      const before = prev ? key((prev as Record<string, unknown>)[field]) : null;
      const after = next ? key((next as Record<string, unknown>)[field]) : null;
      if (before === after) continue;
      if (before !== null) {
        const list = idx.get(before)?.filter((x) => x !== i) ?? [];
        if (list.length) idx.set(before, list);
        else idx.delete(before);
      }
      if (after !== null) pushSorted(idx, after, i);
    }
  }
}

function pushSorted(idx: Map<string, number[]>, k: string, i: number): void {
  const list = idx.get(k);
  if (!list) {
    idx.set(k, [i]);
    return;
  }
  if (list.length === 0 || (list[list.length - 1] ?? -1) < i) {
    list.push(i);
    return;
  }
  if (!list.includes(i)) {
    list.push(i);
    list.sort((a, b) => a - b);
  }
}
