import { describe, expect, it } from 'vitest';

import { MAX_EMPTY_PAGES_IN_A_ROW, PageBounds, pagesForCount } from '../../../../shared/adapters/graph/page-bounds.js';

// The bounds on one list read (issue 13.3): loose for an honest service, tight for one that never stops paging.

const LIMITS = { maxPages: 50, deadlineMs: 60_000 };
const page = (items: number, count: number | null = null, hasNext = true) => ({ items, hasNext, count });

/** Feed pages until a bound trips; the number of pages read then (null: never within `max`). */
function tripsAfter(bounds: PageBounds, next: (n: number) => ReturnType<typeof page>, max = 1_000): number | null {
  for (let n = 1; n <= max; n++) if (bounds.afterPage(next(n)) !== null) return n;
  return null;
}

describe('PageBounds', () => {
  it('an honest read (pages, then a last page without nextLink) never trips, however long', () => {
    const bounds = new PageBounds({ ...LIMITS, maxPages: 1_000 }, true);
    expect(tripsAfter(bounds, (n) => page(999, n === 1 ? 500_000 : null, n < 500), 500)).toBeNull();
  });

  it('empty pages: trips at the third in a row, and a page with items resets the run', () => {
    expect(tripsAfter(new PageBounds(LIMITS, false), () => page(0))).toBe(MAX_EMPTY_PAGES_IN_A_ROW);
    // empty, empty, one item, empty, empty, empty
    expect(tripsAfter(new PageBounds(LIMITS, false), (n) => page(n === 3 ? 1 : 0))).toBe(6);
  });

  it('with a count it asked for: trips past the pages the count needs', () => {
    expect(tripsAfter(new PageBounds(LIMITS, true), (n) => page(10, n === 1 ? 100 : null))).toBe(
      pagesForCount(100, 10),
    );
    expect(pagesForCount(100, 10)).toBe(13);
  });

  it('short pages from an honest service raise the count ceiling instead of tripping it', () => {
    // 100 items counted, first page 10, the rest 5 each: 19 pages with a next, then the last one.
    const bounds = new PageBounds(LIMITS, true);
    expect(tripsAfter(bounds, (n) => page(n === 1 ? 10 : 5, n === 1 ? 100 : null, n < 20), 20)).toBeNull();
  });

  it('a count nobody asked for, or a huge one, sets no ceiling above GRAPH_MAX_PAGES', () => {
    expect(tripsAfter(new PageBounds(LIMITS, false), (n) => page(10, n === 1 ? 20 : null))).toBe(LIMITS.maxPages);
    expect(tripsAfter(new PageBounds(LIMITS, true), (n) => page(10, n === 1 ? 10_000_000 : null))).toBe(
      LIMITS.maxPages,
    );
  });
});
