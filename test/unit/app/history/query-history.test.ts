import { describe, expect, it } from 'vitest';

import { createMemoryStores } from '../../../../shared/adapters/inprocess/memory-stores.js';
import {
  clampHistoryLimit,
  HISTORY_LIMITS,
  InvalidHistoryQueryError,
  OUTCOME_STATUSES,
  queryHistory,
  type HistoryFilter,
} from '../../../../shared/app/history/query-history.js';
import type { HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../../../shared/ports/index.js';

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const GROUP = '9a000000-0000-4000-8000-000000000001';

function rec(over: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'at'>): HistoryRecord {
  return {
    subjectKey: 'SN-A',
    runId: 'run-1',
    type: 'outcome',
    action: 'allow-next-enrollment',
    code: 'AP_USERLESS_BLOCKED',
    idempotencyKey: null,
    mode: 'enforce',
    status: 'succeeded',
    reason: '',
    attempt: 1,
    graphRequestId: null,
    before: null,
    after: null,
    ...over,
  };
}

/** Records the query the use case hands to the store. */
function spyStore(): { store: Pick<HistoryStore, 'query'>; queries: HistoryQuery[] } {
  const queries: HistoryQuery[] = [];
  return {
    queries,
    store: {
      query: (q) => (queries.push(q), Promise.resolve<Page<HistoryRecord>>({ items: [], continuationToken: null })),
    },
  };
}

describe('queryHistory', () => {
  it.each([
    [undefined, HISTORY_LIMITS.default],
    [0, 1],
    [-5, 1],
    [2.9, 2],
    [500, 500],
    [10_000, HISTORY_LIMITS.max],
    [Number.NaN, HISTORY_LIMITS.default],
  ])('clamps limit %s to %s', async (limit, expected) => {
    expect(clampHistoryLimit(limit)).toBe(expected);
    const { store, queries } = spyStore();
    await queryHistory(store, limit === undefined ? {} : { limit });
    expect(queries[0]?.limit).toBe(expected);
  });

  it('"by outcome" is type outcome + status; serials are keyed like the detectors (trimmed, upper case)', async () => {
    const { store, queries } = spyStore();
    await queryHistory(store, {
      serial: ' 9tq4l83 ',
      outcome: 'failed-permanent',
      action: 'allow-next-enrollment',
      since: T0,
      until: T0 + MIN,
    });
    expect(queries[0]).toEqual({
      subjectKey: '9TQ4L83',
      action: 'allow-next-enrollment',
      status: 'failed-permanent',
      type: 'outcome',
      since: T0,
      until: T0 + MIN,
      limit: 50,
      continuationToken: null,
    });
  });

  it('group ids, Entra object ids and "tenant" are keyed lower case', async () => {
    const { store, queries } = spyStore();
    await queryHistory(store, { serial: GROUP.toUpperCase() });
    await queryHistory(store, { serial: 'Tenant' });
    // Each read first as the group or tenant; with nothing there, as a device whose serial has that shape.
    expect(queries.map((q) => q.subjectKey)).toEqual([GROUP, GROUP.toUpperCase(), 'tenant', 'TENANT']);
  });

  it('a GUID-shaped serial whose lower-case subject has records is read there only', async () => {
    const queries: HistoryQuery[] = [];
    const row = { subjectKey: GROUP } as HistoryRecord;
    const store: Pick<HistoryStore, 'query'> = {
      query: (q) => (queries.push(q), Promise.resolve({ items: [row], continuationToken: null })),
    };
    expect((await queryHistory(store, { serial: GROUP })).items).toEqual([row]);
    expect(queries.map((q) => q.subjectKey)).toEqual([GROUP]);
  });

  it("a GUID-shaped serial's next page continues in the serial's records, whatever the lower-case subject holds by then", async () => {
    const { history } = createMemoryStores();
    const serial = GROUP.toUpperCase();
    await history.append([1, 2, 3].map((i) => rec({ subjectKey: serial, id: `d${i}`, at: T0 + i * MIN })));
    const first = await queryHistory(history, { serial: GROUP, limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual(['d3', 'd2']);
    // Between the two pages the group of that id gets a record of its own (a run adds a member, say).
    await history.append([rec({ subjectKey: GROUP, id: 'g1', at: T0 + 10 * MIN })]);
    const next = await queryHistory(history, { serial: GROUP, limit: 2, continuationToken: first.continuationToken! });
    // Before: the page's token was read against the group's subject, and page 2 listed the group's record.
    expect(next.items.map((r) => r.id)).toEqual(['d1']);
    expect(next.continuationToken).toBeNull();
  });

  it.each<[string, HistoryFilter, string]>([
    ['an unknown outcome', { outcome: 'failed' }, 'outcome'],
    ['outcome with another type', { outcome: 'succeeded', type: 'decision' }, 'type'],
    ['until not after since', { since: T0, until: T0 }, 'until'],
    ['a foreign paging token', { continuationToken: 'not-a-token' }, 'continuationToken'],
    ['an empty serial', { serial: '   ' }, 'serial'],
  ])('refuses %s, naming the parameter', async (_name, filter, parameter) => {
    const { store, queries } = spyStore();
    const err = await queryHistory(store, filter).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidHistoryQueryError);
    expect((err as InvalidHistoryQueryError).parameter).toBe(parameter);
    expect(queries).toEqual([]);
  });

  it('lists every outcome status of the model', () => {
    expect(OUTCOME_STATUSES).toContain('failed-transient');
    // Issue 14.6 added 'unverified' (a write the re-read could not confirm).
    expect(OUTCOME_STATUSES).toContain('unverified');
    expect(OUTCOME_STATUSES).toHaveLength(10);
  });

  it('against the memory store: one subject, newest first across pages, every record once', async () => {
    const { history } = createMemoryStores();
    const mine = Array.from({ length: 7 }, (_, i) => rec({ id: `a${i}`, at: T0 + ((i * 3) % 7) * MIN }));
    await history.append([...mine, rec({ subjectKey: 'SN-B', id: 'b0', at: T0 + 100 * MIN })]);
    const seen: HistoryRecord[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await queryHistory(history, { serial: 'sn-a', limit: 3, continuationToken: token });
      expect(page.order).toBe('newest-first');
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      token = page.continuationToken;
      pages += 1;
    } while (token !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.at)).toEqual([...mine.map((r) => r.at)].sort((a, b) => b - a));
  });

  it('against the memory store: filters combine, across subjects each page is newest first', async () => {
    const { history } = createMemoryStores();
    await history.append([
      rec({ id: '1', at: T0, status: 'failed-permanent' }),
      rec({ id: '2', at: T0 + MIN, type: 'decision', status: 'remediate' }),
      rec({ subjectKey: 'SN-B', id: '3', at: T0 + 2 * MIN, status: 'failed-permanent' }),
      rec({
        subjectKey: GROUP,
        id: '4',
        at: T0 + 3 * MIN,
        action: 'restore-device-prep-owner',
        status: 'failed-permanent',
      }),
    ]);
    const failed = await queryHistory(history, { outcome: 'failed-permanent' });
    expect(failed.order).toBe('newest-first-per-page');
    expect(failed.items.map((r) => r.id)).toEqual(['4', '3', '1']);
    expect(
      (await queryHistory(history, { outcome: 'failed-permanent', action: 'allow-next-enrollment' })).items.map(
        (r) => r.id,
      ),
    ).toEqual(['3', '1']);
    expect((await queryHistory(history, { type: 'decision' })).items.map((r) => r.id)).toEqual(['2']);
    expect((await queryHistory(history, { since: T0 + MIN, until: T0 + 3 * MIN })).items.map((r) => r.id)).toEqual([
      '3',
      '2',
    ]);
  });
});

describe('history rows that name a finding (issue 16.4: evidence stored once, on the finding)', () => {
  const finding = (fingerprint: string) => ({
    subjectKey: 'SN-A',
    code: 'AP_USERLESS_BLOCKED',
    fingerprint,
    severity: 'error' as const,
    title: 'blocked',
    status: 'open' as const,
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    attempts: 0,
    lastAttemptAt: null,
    evidence: { userlessEnrollmentStatus: 'blocked' },
    subject: { kind: 'device' as const, key: 'SN-A', serialNumber: 'SN-A', autopilotId: 'ap-1' },
  });
  const opened = rec({ id: 'o', at: T0, type: 'finding-opened', action: null, after: { fingerprint: 'fp-1' } });
  const decision = rec({ id: 'd', at: T0 + MIN, type: 'decision', before: { fingerprint: 'fp-1', notBefore: null } });

  it("shows the finding's evidence beside the fingerprint while the finding still has it", async () => {
    const stores = createMemoryStores();
    await stores.history.append([opened, decision]);
    await stores.findings.upsertMany([finding('fp-1')]);
    const page = await queryHistory(stores.history, { serial: 'SN-A' }, stores.findings);
    const byId = new Map(page.items.map((r) => [r.id, r]));
    expect(byId.get('o')?.after).toMatchObject({
      fingerprint: 'fp-1',
      evidence: { userlessEnrollmentStatus: 'blocked' },
    });
    expect(byId.get('d')?.before).toMatchObject({ fingerprint: 'fp-1', notBefore: null, evidence: {} });
  });

  it('shows the fingerprint alone once the finding has changed (its evidence is of a later sighting)', async () => {
    const stores = createMemoryStores();
    await stores.history.append([opened]);
    await stores.findings.upsertMany([finding('fp-2')]);
    const page = await queryHistory(stores.history, { serial: 'SN-A' }, stores.findings);
    expect(page.items[0]?.after).toEqual({ fingerprint: 'fp-1' });
  });
});
