import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeHistoryHandler } from '../../functions/http-history.js';
import { makeSweepHandler } from '../../functions/http-sweep.js';
import { getHostContainer } from '../../shared/composition/host.js';
import type { HistoryRecord } from '../../shared/ports/index.js';
import { DEMO_GROUP, httpRequest, invocation, jsonOf, startHarness, type Harness } from './http-harness.js';

// GET /api/history over a known set of records (appended to the container's store), then over what a real
// plan sweep of the demo tenant recorded.

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function rec(over: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'at'>): HistoryRecord {
  return {
    subjectKey: '9TQ4L83',
    runId: 'run-1',
    type: 'outcome',
    action: 'allow-next-enrollment',
    code: 'AP_USERLESS_BLOCKED',
    idempotencyKey: 'k',
    mode: 'enforce',
    status: 'succeeded',
    reason: 'unblocked',
    attempt: 1,
    graphRequestId: null,
    before: { enrollmentState: 'blocked' },
    after: null,
    ...over,
  };
}

const RECORDS: HistoryRecord[] = [
  ...Array.from({ length: 12 }, (_, i) =>
    rec({ id: `d${i}`, at: T0 + i * MIN, type: 'decision', status: 'remediate' }),
  ),
  rec({ id: 'o1', at: T0 + 20 * MIN, status: 'succeeded' }),
  rec({ id: 'o2', at: T0 + 30 * MIN, status: 'failed-permanent', reason: 'Graph said no' }),
  rec({
    subjectKey: '5CG3420MNB',
    id: 'x1',
    at: T0 + 25 * MIN,
    type: 'decision',
    action: 'allow-next-enrollment',
    status: 'alert-only',
  }),
  rec({
    subjectKey: DEMO_GROUP,
    id: 'g1',
    at: T0 + 40 * MIN,
    action: 'restore-device-prep-owner',
    status: 'succeeded',
  }),
  rec({ subjectKey: 'tenant', id: 's1', at: T0 + 50 * MIN, action: 'autopilot-sync', status: 'deferred' }),
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.container.stores.history.append(RECORDS);
});
afterAll(async () => {
  await h.stop();
});

const handler = makeHistoryHandler(getHostContainer);
type Item = { id: string; at: string; subjectKey: string; type: string; status: string };
type Body = { items: Item[]; continuationToken: string | null; next: string | null; order: string };

async function get(query: string): Promise<{ status: number | undefined; body: Record<string, unknown> }> {
  const res = await handler(httpRequest('GET', 'history', query), invocation('history').ctx);
  return { status: res.status, body: jsonOf(res) };
}

async function ids(query: string): Promise<string[]> {
  const { status, body } = await get(query);
  expect(status).toBe(200);
  return (body as unknown as Body).items.map((i) => i.id);
}

describe('GET /api/history', () => {
  it('serial (any case): that device only, newest first, times as ISO strings', async () => {
    const { body } = await get('serial=9tq4l83&limit=3');
    const page = body as unknown as Body;
    expect(page.order).toBe('newest-first');
    expect(page.items.map((i) => i.id)).toEqual(['o2', 'o1', 'd11']);
    expect(page.items[0]).toMatchObject({
      at: iso(T0 + 30 * MIN),
      subjectKey: '9TQ4L83',
      reason: 'Graph said no',
      before: { enrollmentState: 'blocked' },
    });
  });

  it('a group id or "tenant" in serial finds that subject', async () => {
    expect(await ids(`serial=${DEMO_GROUP.toUpperCase()}`)).toEqual(['g1']);
    expect(await ids('serial=tenant')).toEqual(['s1']);
  });

  it('action, outcome, type, since and until filter', async () => {
    expect(await ids('action=autopilot-sync')).toEqual(['s1']);
    expect(await ids('outcome=failed-permanent')).toEqual(['o2']);
    expect((await ids('outcome=succeeded')).sort()).toEqual(['g1', 'o1']);
    expect(await ids('type=decision&serial=5CG3420MNB')).toEqual(['x1']);
    expect(await ids(`serial=9TQ4L83&since=${iso(T0 + 10 * MIN)}&until=${iso(T0 + 30 * MIN)}`)).toEqual([
      'o1',
      'd11',
      'd10',
    ]);
    expect(await ids('until=2026-11-01&limit=500')).toEqual([]); // date = UTC midnight, exclusive
    expect((await ids('since=2026-11-01T09:35:00%2B01:00')).sort()).toEqual(['g1', 's1']); // 08:35Z: offsets are honoured
  });

  it('pages with continuationToken until it is null: every record once, each page at most `limit`', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string =
        token === null
          ? 'serial=9TQ4L83&limit=5'
          : `serial=9TQ4L83&limit=5&continuationToken=${encodeURIComponent(token)}`;
      const { status, body } = await get(query);
      expect(status).toBe(200);
      const page = body as unknown as Body;
      expect(page.items.length).toBeLessThanOrEqual(5);
      if (next !== null) expect(next).toBe(`/api/history?${query}`); // the previous page's next link is this request
      seen.push(...page.items.map((i) => i.id));
      token = page.continuationToken;
      next = page.next;
      pages += 1;
    } while (token !== null && pages < 10);
    expect(pages).toBe(3);
    expect(next).toBeNull();
    expect(seen).toEqual(['o2', 'o1', ...Array.from({ length: 12 }, (_, i) => `d${11 - i}`)]);
  });

  it('the next link carries the filters but never the function key', async () => {
    const { body } = await get('code=SECRET-KEY&serial=9TQ4L83&limit=2');
    const next = (body as unknown as Body).next;
    expect(next).toMatch(/^\/api\/history\?serial=9TQ4L83&limit=2&continuationToken=/);
    expect(next).not.toMatch(/SECRET-KEY/);
  });

  it.each([
    [
      'action=reboot',
      'action',
      /^expected one of autopilot-sync, allow-next-enrollment, add-to-device-prep-group, restore-device-prep-owner, delete-intune-device-record, deregister-autopilot-device$/,
    ],
    [
      'outcome=failed',
      'outcome',
      /^expected one of succeeded, already-done, .*failed-permanent, duplicate, unverified$/,
    ],
    ['type=everything', 'type', /^expected one of decision, outcome, /],
    ['since=yesterday', 'since', /^expected an ISO 8601 date-time with a time zone/],
    ['until=2026-11-01T10:00:00', 'until', /^expected an ISO 8601 date-time with a time zone/], // no zone: ambiguous
    ['since=2026-02-30', 'since', /^expected an ISO 8601/],
    ['limit=0', 'limit', /^expected a whole number from 1 to 500$/],
    ['limit=501', 'limit', /^expected a whole number from 1 to 500$/],
    ['limit=ten', 'limit', /^expected a whole number from 1 to 500$/],
    ['limit=-1', 'limit', /^expected a whole number from 1 to 500$/],
    [
      'serail=9TQ4L83',
      'serail',
      /^unknown parameter; expected one of serial, action, outcome, type, since, until, limit, continuationToken$/,
    ],
    ['limit=5&limit=6', 'limit', /^given more than once/],
    ['serial=', 'serial', /^expected a device serial number/],
    ['continuationToken=garbage', 'continuationToken', /^is not a token returned by a previous page$/],
    [`since=${iso(T0)}&until=${iso(T0)}`, 'until', /^must be later than since$/],
    ['outcome=succeeded&type=decision', 'type', /contradicts/],
  ])('%s is a 400 naming the parameter and what it expects', async (query, parameter, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid-request');
    const problems = body.problems as { parameter: string; message: string }[];
    expect(problems).toHaveLength(1);
    expect(problems[0]?.parameter).toBe(parameter);
    expect(problems[0]?.message).toMatch(message);
    expect(body.message).toBe(`${parameter}: ${problems[0]?.message}`);
  });

  it('a serial that escapes past the Table Storage key limit finds its device (hashed key), never a 500 (issue 13.10)', async () => {
    // '#' escapes to 3 characters: 200 of them are a valid serial filter but a 600-character key. The poll stores
    // such a device's rows under a hash of the key; the filter must reach the same rows.
    const escaping = '#'.repeat(200);
    const slashes = '/'.repeat(256);
    await h.container.stores.history.append([
      rec({ subjectKey: escaping, id: 'esc1', at: T0 + 60 * MIN }),
      rec({ subjectKey: slashes, id: 'esc2', at: T0 + 61 * MIN }),
    ]);
    expect(await ids(`serial=${encodeURIComponent(escaping)}`)).toEqual(['esc1']);
    expect(await ids(`serial=${encodeURIComponent(slashes)}`)).toEqual(['esc2']);
  });

  it.each([
    ['ABC%09DEF', /^contains the control character U\+0009 at position 4$/],
    ['ABC%1B%5B2J', /^contains the control character U\+001B/],
    ['ABC%C2%9BDEF', /^contains the control character U\+009B/],
    [`${'S'.repeat(257)}`, /^expected at most 256 characters$/],
  ])('serial=%s, which no stored subject can have, is a 400 naming serial (issue 13.10)', async (serial, message) => {
    const { status, body } = await get(`serial=${serial}`);
    expect(status).toBe(400);
    const problems = body.problems as { parameter: string; message: string }[];
    expect(problems.map((p) => p.parameter)).toEqual(['serial']);
    expect(problems[0]?.message).toMatch(message);
  });

  it('reports several bad parameters at once', async () => {
    const { status, body } = await get('limit=0&action=x&since=never');
    expect(status).toBe(400);
    expect((body.problems as { parameter: string }[]).map((p) => p.parameter).sort()).toEqual([
      'action',
      'limit',
      'since',
    ]);
  });

  it('reads what a plan sweep recorded (the demo tenant, through the sweep endpoint)', async () => {
    const fresh = await startHarness({}, { install: false });
    try {
      const own = () => Promise.resolve(fresh.container);
      const sweep = await makeSweepHandler(own)(httpRequest('POST', 'sweep', 'plan=true'), invocation('sweep').ctx);
      expect(sweep.status).toBe(200);
      const res = await makeHistoryHandler(own)(
        httpRequest('GET', 'history', 'serial=9TQ4L83&type=decision'),
        invocation('history').ctx,
      );
      const items = (jsonOf(res) as unknown as Body).items;
      expect(items.map((i) => i.status)).toContain('remediate');
      expect(items.every((i) => i.subjectKey === '9TQ4L83' && i.type === 'decision')).toBe(true);
      // No Service Bus: the plan-mode commands ran in-process and recorded what they would have done.
      const planned = await makeHistoryHandler(own)(
        httpRequest('GET', 'history', 'outcome=planned'),
        invocation('history').ctx,
      );
      const plannedItems = (jsonOf(planned) as unknown as Body).items;
      expect(plannedItems.length).toBeGreaterThan(0);
      expect(plannedItems.every((i) => i.status === 'planned' && i.type === 'outcome')).toBe(true);
    } finally {
      await fresh.stop();
    }
  });
});
