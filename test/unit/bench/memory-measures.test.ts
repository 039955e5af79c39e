// The bench's memory measures of a run: V8's full collections (v8.GCProfiler) and RSS samples taken on demand, which
// place a sweep's growth in its phases when no timer can fire (the in-memory stores never yield the event loop).
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { FullCollections, PeakRss } from '../../../bench/measure.js';

// A full collection on demand, for this test only: the flag is set before the context that exposes gc() is made.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

describe('FullCollections', () => {
  it('reports each full collection with the heap before it and what stayed live after it', () => {
    const collections = new FullCollections();
    collections.start();
    let garbage: { n: number; s: string }[] | null = Array.from({ length: 200_000 }, (_, n) => ({ n, s: `x${n}` }));
    fullGc();
    const heldLength = garbage.length;
    garbage = null;
    fullGc();
    const { collections: full, heapLimitBytes } = collections.stop();
    expect(heldLength).toBe(200_000);
    expect(full.length).toBeGreaterThanOrEqual(2);
    const [first, second] = full.slice(-2) as [(typeof full)[0], (typeof full)[0]];
    // The second collection freed the list the first one still found live.
    expect(second.liveAfterBytes).toBeLessThan(first.liveAfterBytes - 5_000_000);
    for (const c of full) expect(c.liveAfterBytes).toBeLessThanOrEqual(c.heapBeforeBytes);
    expect(heapLimitBytes).toBeGreaterThan(0);
  });
});

describe('PeakRss', () => {
  it('samples on demand only while it runs, and peakUntil counts the samples up to a time', () => {
    const rss = new PeakRss();
    rss.start();
    expect(PeakRss.current).toBe(rss);
    const t = Date.now();
    rss.sample();
    expect(rss.peakUntil(t, 1)).toBeGreaterThan(0);
    expect(rss.peakUntil(t - 60_000, 0)).toBe(0);
    rss.stop();
    expect(PeakRss.current).toBeNull();
  });
});
