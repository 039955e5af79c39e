import type { PagingLimits } from './graph-http.js';

// Bounds on one list read, so a service that never stops paging (a fresh @odata.nextLink on every page) cannot
// keep a run reading forever. Server-driven paging ends only when a page has no nextLink, and a page may be
// empty while more follow (https://learn.microsoft.com/graph/paging — "How paging works"), so each bound is
// loose enough for an honest service and still stops a runaway within a bounded number of requests:
// - a page ceiling: from @odata.count when we asked for it ($count=true), else GRAPH_MAX_PAGES;
// - a few empty pages in a row that still carry a nextLink;
// - a page read before, under a new nextLink (same first and last item id, same length): a rotating cursor;
// - a wall-clock deadline per read (GRAPH_READ_DEADLINE_SECONDS), which also covers slow pages and retries.
// A bound that trips ends the read as a TruncatedReadError (paging.ts): nothing is decided on a partial list.

/**
 * Empty pages with a nextLink, in a row, after which the read stops. Graph documents that a page may hold
 * zero items with more to come; it does not do so for long stretches on the lists this app reads.
 */
export const MAX_EMPTY_PAGES_IN_A_ROW = 3;

/**
 * @odata.count is only trusted when we asked for it: with $count=true Graph returns the size of the whole
 * collection (https://learn.microsoft.com/graph/query-parameters — "count parameter"). Intune lists also send an
 * @odata.count unasked, whose meaning is not documented (it has been reported as the size of the page), so it
 * sets no ceiling. The count of an advanced query is eventually consistent (ConsistencyLevel: eventual,
 * https://learn.microsoft.com/graph/aad-advanced-queries), hence the slack: 10 % plus two pages, for objects
 * added during the read. The page size is the smallest page so far that still had a next one, so an honest
 * service that serves short pages raises the ceiling rather than tripping it.
 */
export function pagesForCount(count: number, pageSize: number): number {
  return Math.ceil(Math.ceil(count / pageSize) * 1.1) + 2;
}

export class PageBounds {
  private pages = 0;
  private emptyInARow = 0;
  private count: number | null = null;
  private smallestPage = Number.POSITIVE_INFINITY;
  /** Shape of each non-empty page read so far: first id, last id, length. */
  private readonly shapes = new Set<string>();

  constructor(
    private readonly limits: PagingLimits,
    private readonly countAsked: boolean,
  ) {}

  /**
   * After each page: why its nextLink must not be followed, or null. Called before anything is prefetched, so a
   * read that stops has sent no request beyond the page that tripped the bound.
   */
  afterPage(page: {
    readonly items: number;
    readonly hasNext: boolean;
    readonly count: number | null;
    readonly shape?: string | null;
  }): string | null {
    this.pages++;
    if (page.shape !== undefined && page.shape !== null) {
      // Server-driven paging hands out each item once; the same page again means the cursor did not advance.
      if (this.shapes.has(page.shape))
        return `page ${this.pages} repeats a page already read under a new nextLink (a cursor that does not advance)`;
      this.shapes.add(page.shape);
    }
    if (this.pages === 1 && this.countAsked) this.count = page.count;
    this.emptyInARow = page.items === 0 ? this.emptyInARow + 1 : 0;
    if (!page.hasNext) return null;
    if (page.items > 0) this.smallestPage = Math.min(this.smallestPage, page.items);
    if (this.emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW) {
      return `${this.emptyInARow} empty pages in a row still carried a nextLink (a service paging without end)`;
    }
    const max = this.limits.maxPages;
    if (this.count !== null && Number.isFinite(this.smallestPage)) {
      const fromCount = pagesForCount(this.count, this.smallestPage);
      if (fromCount < max && this.pages >= fromCount) {
        return `the service kept paging past ${fromCount} pages, enough for the ${this.count} item(s) it counted (@odata.count) in pages of ${this.smallestPage}`;
      }
    }
    if (this.pages >= max) return `the service kept paging past the page limit (GRAPH_MAX_PAGES = ${max})`;
    return null;
  }
}

/**
 * The signal a read runs under: the run's signal, plus a deadline that aborts with `onExpire()` (the
 * TruncatedReadError saying how far the read got). `end()` when the read is over, however it ended: it clears
 * the timer (which never keeps the process alive anyway) and cancels a prefetched page nobody will read.
 */
export function readDeadline(
  ms: number,
  run: AbortSignal | undefined,
  onExpire: () => Error,
): { readonly signal: AbortSignal; end(): void } {
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(onExpire()), ms);
  timer.unref();
  return {
    signal: run ? AbortSignal.any([run, own.signal]) : own.signal,
    end: () => {
      clearTimeout(timer);
      if (!own.signal.aborted) own.abort(new DOMException('The list read has ended', 'AbortError'));
    },
  };
}

/** A page's shape for spotting a repeat: the ids of its first and last item and its length (null without ids). */
export function pageShape(value: readonly unknown[]): string | null {
  const idOf = (v: unknown): string | null =>
    typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string'
      ? (v as { id: string }).id
      : null;
  const first = idOf(value[0]);
  const last = idOf(value[value.length - 1]);
  return first === null || last === null ? null : `${first}\u0000${last}\u0000${value.length}`;
}
