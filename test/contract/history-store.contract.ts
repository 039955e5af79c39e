import { describe, expect, it } from 'vitest';
import type { HistoryQuery, HistoryRecord, HistoryStore } from '../../shared/ports/stores.port.js';
import { AWKWARD_KEYS, historyRecord, LONG_KEYS, MINUTE, T0, type MakeStores } from './fixtures.js';

/** Follows continuation tokens to the end; returns every page. */
async function allPages(store: HistoryStore, q: HistoryQuery): Promise<HistoryRecord[][]> {
  const pages: HistoryRecord[][] = [];
  let token: string | null = null;
  do {
    const page = await store.query({ ...q, continuationToken: token });
    pages.push([...page.items]);
    token = page.continuationToken;
    if (pages.length > 100) throw new Error('paging does not terminate');
  } while (token !== null);
  return pages;
}

const ats = (records: readonly HistoryRecord[]): number[] => records.map((r) => r.at);
const newestFirst = (xs: number[]): number[] => [...xs].sort((a, b) => b - a);

export function describeHistoryStore(name: string, makeStores: MakeStores): void {
  describe(`HistoryStore contract: ${name}`, () => {
    it('round-trips every field, including JSON and nulls', async () => {
      const { history } = await makeStores();
      const full = historyRecord({ id: 'full', at: T0 });
      const sparse = historyRecord({
        id: 'sparse',
        at: T0 + 1,
        action: null,
        code: null,
        idempotencyKey: null,
        mode: null,
        graphRequestId: null,
        before: null,
        after: 'just a string',
        type: 'run',
        reason: '',
        attempt: 0,
      });
      await history.append([full, sparse]);
      const page = await history.query({ subjectKey: 'SERIAL-1', limit: 10 });
      expect(page.items).toEqual([sparse, full]);
      expect(page.continuationToken).toBeNull();
    });

    it('pages one subject newest first across pages, ending with a null token', async () => {
      const { history } = await makeStores();
      const records = Array.from({ length: 25 }, (_, i) =>
        historyRecord({ id: `r${i}`, at: T0 + ((i * 7) % 25) * MINUTE }),
      );
      await history.append(records);
      const pages = await allPages(history, { subjectKey: 'SERIAL-1', limit: 10 });
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      const seen = pages.flat();
      expect(ats(seen)).toEqual(newestFirst(ats(records)));
      expect(new Set(seen.map((r) => r.id)).size).toBe(25);
    });

    it('returns a null token when the last page is exactly full', async () => {
      const { history } = await makeStores();
      await history.append(Array.from({ length: 4 }, (_, i) => historyRecord({ id: `r${i}`, at: T0 + i })));
      const page = await history.query({ subjectKey: 'SERIAL-1', limit: 4 });
      expect(page.items).toHaveLength(4);
      expect(page.continuationToken).toBeNull();
    });

    it('pages across subjects with a filter: every match once, each page newest first', async () => {
      const { history } = await makeStores();
      const records: HistoryRecord[] = [];
      for (const subject of ['S-A', 'S-B', 'S-C']) {
        for (let i = 0; i < 7; i += 1) {
          records.push(
            historyRecord({
              subjectKey: subject,
              id: `${subject}-${i}`,
              at: T0 + i * MINUTE,
              status: i % 2 === 0 ? 'failed' : 'succeeded',
            }),
          );
        }
      }
      await history.append(records);
      const pages = await allPages(history, { status: 'failed', limit: 3 });
      const seen = pages.flat();
      expect(seen.map((r) => `${r.subjectKey}/${r.id}`).sort()).toEqual(
        records
          .filter((r) => r.status === 'failed')
          .map((r) => `${r.subjectKey}/${r.id}`)
          .sort(),
      );
      for (const page of pages) {
        expect(page.length).toBeLessThanOrEqual(3);
        expect(ats(page)).toEqual(newestFirst(ats(page)));
      }
      for (const subject of ['S-A', 'S-B', 'S-C']) {
        const mine = ats(seen.filter((r) => r.subjectKey === subject));
        expect(mine).toEqual(newestFirst(mine));
      }
    });

    it('filters by action, type and status, and by since (inclusive) / until (exclusive)', async () => {
      const { history } = await makeStores();
      await history.append([
        historyRecord({ id: 'a', at: T0, action: 'autopilot-sync', type: 'decision', status: 'deferred' }),
        historyRecord({ id: 'b', at: T0 + MINUTE, action: 'autopilot-sync', type: 'outcome', status: 'succeeded' }),
        historyRecord({
          id: 'c',
          at: T0 + 2 * MINUTE,
          action: 'allow-next-enrollment',
          type: 'outcome',
          status: 'succeeded',
        }),
        historyRecord({ id: 'd', at: T0 + 3 * MINUTE, action: null, type: 'alert', status: 'sent' }),
      ]);
      const ids = async (q: Omit<HistoryQuery, 'limit'>): Promise<string[]> =>
        (await allPages(history, { ...q, limit: 2 })).flat().map((r) => r.id);
      expect(await ids({ action: 'autopilot-sync' })).toEqual(['b', 'a']);
      expect(await ids({ type: 'outcome' })).toEqual(['c', 'b']);
      expect(await ids({ status: 'succeeded', action: 'allow-next-enrollment' })).toEqual(['c']);
      expect(await ids({ since: T0 + MINUTE })).toEqual(['d', 'c', 'b']);
      expect(await ids({ until: T0 + 2 * MINUTE })).toEqual(['b', 'a']);
      expect(await ids({ subjectKey: 'SERIAL-1', since: T0 + MINUTE, until: T0 + 3 * MINUTE })).toEqual(['c', 'b']);
      expect(await ids({ subjectKey: 'nobody' })).toEqual([]);
    });

    it('treats a re-appended record (same subject, time, id) as the same record', async () => {
      const { history } = await makeStores();
      const record = historyRecord({ id: 'dup', at: T0 });
      await history.append([record]);
      await history.append([record]);
      expect((await history.query({ limit: 10 })).items).toHaveLength(1);
    });

    it('appends more than one transaction worth of rows for one subject', async () => {
      const { history } = await makeStores();
      await history.append(Array.from({ length: 230 }, (_, i) => historyRecord({ id: `bulk-${i}`, at: T0 + i })));
      const pages = await allPages(history, { subjectKey: 'SERIAL-1', limit: 100 });
      expect(pages.flat()).toHaveLength(230);
    });

    it('deleteOlderThan removes only rows older than the cutoff, in every subject', async () => {
      const { history } = await makeStores();
      const records = ['S-A', 'S-B'].flatMap((subject) =>
        Array.from({ length: 5 }, (_, i) =>
          historyRecord({
            subjectKey: subject,
            id: `${subject}-${i}`,
            at: T0 + i * MINUTE,
            ...(i % 2 === 0 ? { type: 'decision', status: 'remediate' } : { action: 'add-to-device-prep-group' }),
          }),
        ),
      );
      await history.append(records);
      expect(await history.deleteOlderThan(T0 + 2 * MINUTE)).toBe(4);
      const left = (await allPages(history, { limit: 100 })).flat();
      expect(left.every((r) => r.at >= T0 + 2 * MINUTE)).toBe(true);
      expect(left).toHaveLength(6);
      expect(await history.deleteOlderThan(T0 + 2 * MINUTE)).toBe(0);
    });

    it('deleteOlderThan keeps enforce-mode unblock outcomes, which date the last unblock for the unblock gate', async () => {
      const { history } = await makeStores();
      await history.append([
        historyRecord({ id: 'unblocked', at: T0 }),
        historyRecord({ id: 'planned', at: T0, mode: 'plan', status: 'planned' }),
        historyRecord({ id: 'attempt', at: T0, type: 'attempt', status: 'started' }),
        historyRecord({ id: 'decision', at: T0, type: 'decision', action: null, mode: null, status: 'skip' }),
      ]);
      expect(await history.deleteOlderThan(T0 + MINUTE)).toBe(3);
      expect((await allPages(history, { limit: 100 })).flat().map((r) => r.id)).toEqual(['unblocked']);
    });

    it('round-trips subjects and ids with / \\ # ? %, quotes and control characters', async () => {
      const { history } = await makeStores();
      const records = AWKWARD_KEYS.map((key, i) => historyRecord({ subjectKey: key, id: `id ${key}`, at: T0 + i }));
      await history.append(records);
      for (const record of records) {
        const page = await history.query({ subjectKey: record.subjectKey, limit: 10 });
        expect(page.items).toEqual([record]);
      }
      expect((await allPages(history, { limit: 3 })).flat()).toHaveLength(AWKWARD_KEYS.length);
    });

    it('stores subjects and ids too long for a Table Storage key under a hash, and finds them again by the same key', async () => {
      // Issue 13.4 changed this: a 600-character serial used to reject the whole append ("key too long").
      const { history } = await makeStores();
      const records = LONG_KEYS.map((key, i) => historyRecord({ subjectKey: key, id: `id ${key}`, at: T0 + i }));
      await history.append([historyRecord({ id: 'ok', at: T0 }), ...records]);
      for (const record of records) {
        const page = await history.query({ subjectKey: record.subjectKey, limit: 10 });
        expect(page.items, record.subjectKey.slice(0, 20)).toEqual([record]);
      }
      // The same record appended again is the same row (same hashed keys), not a second one.
      await history.append(records);
      expect((await allPages(history, { limit: 2 })).flat()).toHaveLength(LONG_KEYS.length + 1);
    });

    it('rejects a malformed continuation token', async () => {
      const { history } = await makeStores();
      await expect(history.query({ limit: 5, continuationToken: 'not-a-token' })).rejects.toThrow(/continuation token/);
    });
  });
}
