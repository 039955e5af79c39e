/** Drain a paged async iterable into one array (only for collections the run needs whole). */
export async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) for (const item of page) out.push(item);
  return out;
}

/**
 * Fold a paged async iterable into a table page by page (`add` each item), so that a fleet-sized collection is never
 * held as one array of records (core/fleet).
 */
export async function fold<T, Table extends { add(item: T): void }>(
  pages: AsyncIterable<readonly T[]>,
  table: Table,
  /** Which items of a page go in; the others are the caller's to keep. */
  admit: (page: readonly T[]) => readonly T[] = (page) => page,
): Promise<Table> {
  for await (const page of pages) for (const item of admit(page)) table.add(item);
  return table;
}
