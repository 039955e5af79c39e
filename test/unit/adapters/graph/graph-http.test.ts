import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectAll, listPages } from '../../../../shared/adapters/graph/paging.js';
import { memberIdSchema } from '../../../../shared/adapters/graph/schemas/directory.js';
import {
  NotFoundError,
  PermanentError,
  PermissionError,
  ThrottledError,
  TransientError,
  TruncatedReadError,
} from '../../../../shared/ports/index.js';
import { graphError, json, noContent } from './fake-fetch.js';
import { BASE, harness } from './harness.js';

// A full collection on demand, for the test that a page is not held across the yield.
v8.setFlagsFromString('--expose-gc');

const call = {
  method: 'GET' as const,
  target: '/beta/deviceManagement/windowsAutopilotSettings',
  what: 'GET settings',
};

describe('GraphHttp', () => {
  it('sends the bearer token, a client-request-id and captures request-id', async () => {
    const h = harness([json({ ok: 1 }, 200, { 'request-id': 'req-9' })]);
    const reply = await h.http.send(call);
    expect(reply.requestId).toBe('req-9');
    const [seen] = h.seen;
    expect(seen?.url).toBe(`${BASE}/beta/deviceManagement/windowsAutopilotSettings`);
    expect(seen?.headers.authorization).toBe('Bearer tok-123');
    expect(seen?.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('waits out Retry-After (seconds) and then succeeds', async () => {
    const h = harness([graphError(429, 'TooManyRequests', 'x', { 'Retry-After': '7' }), json({})]);
    await h.http.send(call);
    expect(h.sleeps).toEqual([7000]);
    expect(h.seen).toHaveLength(2);
    // Retries of one logical request share its client-request-id.
    expect(h.seen[0]?.headers['client-request-id']).toBe(h.seen[1]?.headers['client-request-id']);
  });

  it('throws ThrottledError (with Retry-After) once retries are spent', async () => {
    const h = harness(
      [429, 429, 429].map(() => graphError(429, 'TooManyRequests', 'x', { 'Retry-After': '2' })),
      2,
    );
    const err = await h.http.send(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ retryAfterMs: 2000, code: 'TooManyRequests', requestId: 'rid-429' });
    expect(h.seen).toHaveLength(3);
  });

  it('retries 5xx and network errors with backoff, then gives TransientError', async () => {
    const h = harness(
      [
        graphError(503, 'ServiceUnavailable'),
        new TypeError('fetch failed'),
        graphError(500, 'InternalServerError'),
        new TypeError('fetch failed'),
      ],
      3,
    );
    const err = await h.http.send(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(h.sleeps).toEqual([500, 1000, 2000]);
  });

  it.each([
    [400, 'BadRequest', PermanentError],
    [401, 'InvalidAuthenticationToken', PermissionError],
    [403, 'Authorization_RequestDenied', PermissionError],
    [404, 'ResourceNotFound', NotFoundError],
    [409, 'Conflict', PermanentError],
  ])('does not retry %d and maps it to its typed error', async (status, code, type) => {
    const h = harness([graphError(status, code)]);
    const err = await h.http.send(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ status, code, requestId: `rid-${status}` });
    expect(h.seen).toHaveLength(1);
  });

  it('makes exactly one attempt when retries are disabled', async () => {
    const h = harness([graphError(503, 'ServiceUnavailable', 'x', { 'Retry-After': '1' })]);
    const reply = await h.http.exchange({ ...call, method: 'POST', retry: false });
    expect(reply.status).toBe(503);
    expect(h.seen).toHaveLength(1);
  });

  it('never sends the token to another origin', () => {
    const h = harness([]);
    expect(() => h.http.resolve('https://evil.example/beta/x')).toThrow(PermanentError);
    expect(h.seen).toHaveLength(0);
  });
});

const list = (h: ReturnType<typeof harness>) =>
  collectAll(
    listPages(h.http, { collection: 'things', target: '/v1.0/things', parse: (r) => (r as { id: string }).id }),
  );

describe('listPages', () => {
  it('follows every nextLink as given and reports progress', async () => {
    const progress: number[] = [];
    const h = harness([
      json({ value: [{ id: 'a' }], '@odata.nextLink': `${BASE}/v1.0/things?$skiptoken=X1` }),
      json({ value: [], '@odata.nextLink': `${BASE}/v1.0/things?$skiptoken=X2` }),
      json({ value: [{ id: 'b' }, { id: 'c' }] }),
    ]);
    const ids = await collectAll(
      listPages(
        h.http,
        { collection: 'things', target: '/v1.0/things', query: { $top: 1 }, parse: (r) => (r as { id: string }).id },
        (p) => progress.push(p.items),
      ),
    );
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(h.seen.map((s) => s.url)).toEqual([
      `${BASE}/v1.0/things?$top=1`,
      `${BASE}/v1.0/things?$skiptoken=X1`,
      `${BASE}/v1.0/things?$skiptoken=X2`,
    ]);
    expect(progress).toEqual([1, 1, 3]);
  });

  it('aborts a stuck cursor with TruncatedReadError', async () => {
    const again = `${BASE}/v1.0/things?$skiptoken=SAME`;
    const h = harness([
      json({ value: [{ id: 'a' }], '@odata.nextLink': again }),
      json({ value: [{ id: 'b' }], '@odata.nextLink': again }),
    ]);
    await expect(list(h)).rejects.toBeInstanceOf(TruncatedReadError);
    expect(h.seen).toHaveLength(2);
  });

  it.each([
    ['invalid JSON', new Response('{"value": [', { status: 200 })],
    ['value not an array', json({ value: { 0: { id: 'a' } } })],
    ['an item without id', json({ value: [{ name: 'no id' }] })],
  ])('treats %s as a truncated read', async (_what, page) => {
    const h = harness([page]);
    const strict = collectAll(
      listPages(h.http, { collection: 'things', target: '/v1.0/things', parse: (r) => memberIdSchema.parse(r) }),
    );
    await expect(strict).rejects.toBeInstanceOf(TruncatedReadError);
  });

  it('turns a later page failing after retries into TruncatedReadError, a 403 stays PermissionError', async () => {
    const next = { value: [{ id: 'a' }], '@odata.nextLink': `${BASE}/v1.0/things?$skiptoken=2` };
    const h = harness([json(next), graphError(500, 'InternalServerError'), graphError(500, 'InternalServerError')], 1);
    const err = await list(h).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect((err as TruncatedReadError).pagesRead).toBe(1);

    const h2 = harness([json(next), graphError(403, 'Authorization_RequestDenied')]);
    await expect(list(h2)).rejects.toBeInstanceOf(PermissionError);
  });

  it('refuses a nextLink to another host', async () => {
    const h = harness([json({ value: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/things?$skiptoken=1' })]);
    await expect(list(h)).rejects.toBeInstanceOf(TruncatedReadError);
    expect(h.seen).toHaveLength(1);
  });

  it('passes the first page error through typed (nothing was yielded)', async () => {
    const h = harness([graphError(404, 'Request_ResourceNotFound')]);
    await expect(list(h)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('yields nothing more after the consumer stops', async () => {
    const h = harness([
      json({ value: [{ id: 'a' }], '@odata.nextLink': `${BASE}/v1.0/things?$skiptoken=2` }),
      noContent(),
    ]);
    for await (const page of listPages(h.http, { collection: 'things', target: '/v1.0/things', parse: (r) => r })) {
      expect(page).toHaveLength(1);
      break;
    }
    expect(h.seen).toHaveLength(1);
  });

  it('holds nothing of a wire page while its items are with the consumer', async () => {
    // The generator is suspended at the yield while the consumer works and the next page's round trip runs; a
    // 300,000-device sweep reads ~900 pages, and a page held across that wait (its parsed objects, its text) outlives
    // the young generation's collections: ~170 MB of promoted garbage. A WeakRef to each wire item, then a full
    // collection while the first page's items are still with the consumer: none of the wire items may survive it.
    const gc = vm.runInNewContext('gc') as () => void;
    const wire: WeakRef<object>[] = [];
    const h = harness([
      json({
        value: [{ id: 'a', pad: 'x'.repeat(64) }, { id: 'b' }],
        '@odata.nextLink': `${BASE}/v1.0/things?$skiptoken=X1`,
      }),
      json({ value: [{ id: 'c' }] }),
    ]);
    const pages = listPages(h.http, {
      collection: 'things',
      target: '/v1.0/things',
      parse: (r) => {
        wire.push(new WeakRef(r as object));
        return (r as { id: string }).id;
      },
    });
    const first = await pages.next();
    expect(first.value).toEqual(['a', 'b']);
    // A WeakRef's target is kept until the job that made it has ended.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(wire.map((w) => w.deref() === undefined)).toEqual([true, true]);
    expect((await pages.next()).value).toEqual(['c']);
    expect((await pages.next()).done).toBe(true);
  });
});
