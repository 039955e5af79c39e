import { GraphError, PermissionError, TruncatedReadError, type ReadProgress } from '../../ports/index.js';
import { abortReason } from './abortable-sleep.js';
import type { GraphCall, GraphHttp, GraphReply } from './graph-http.js';
import { PageBounds, pageShape, readDeadline } from './page-bounds.js';
import { describeParseError } from './schemas/common.js';

// Server-driven paging (https://learn.microsoft.com/graph/paging): follow `@odata.nextLink` exactly as
// given until it is absent. A list either yields every page or throws — never a silent partial list
// (peers that stopped at 100/1000 objects are how tenants got "healthy" reports):
// - a cursor we already followed (the service looping) → TruncatedReadError;
// - a page that is not JSON, has no `value` array, or holds an item without an id → TruncatedReadError;
// - a later page failing after retries → TruncatedReadError (cause attached);
// - a service that never stops paging (page ceiling, empty pages in a row, read deadline: page-bounds.ts)
//   → TruncatedReadError;
// - the run aborted (ListRequest.signal) → the abort reason, with the request in flight and any prefetch cancelled;
// - 401/403 anywhere → PermissionError, and any failure of the first page → its own typed error
//   (nothing was yielded, so nothing is partial).

export interface ListRequest<T> {
  readonly collection: string;
  readonly target: string;
  readonly query?: GraphCall['query'];
  readonly headers?: GraphCall['headers'];
  /** Map one wire item; throws (zod) on an item we can't use, e.g. without an id. */
  readonly parse: (raw: unknown) => T;
  /**
   * Request the next page as soon as this page's nextLink is known, so mapping this page (and whatever the
   * consumer does with it) overlaps the next request's round trip. Only for lists that are always read to the
   * end: a consumer that stops early would leave one prefetched page unused (a wasted request).
   */
  readonly prefetch?: boolean;
  /**
   * Pages after the first go out as requests of their own, never inside a JSON batch. For the long lists a sweep
   * reads whole (identities, Entra and Intune devices, events): pages of different lists that happen to be due
   * together would otherwise share one envelope, which answers only when its last item is done, so every list
   * would page at the pace of the slowest and their chains would add up instead of running side by side. The
   * first page still batches with the run's other first reads.
   */
  readonly pagesAlone?: boolean;
  /** The run's abort signal (GraphCall.signal). */
  readonly signal?: AbortSignal;
}

export type ProgressSink = (p: ReadProgress) => void;

export async function* listPages<T>(
  http: GraphHttp,
  req: ListRequest<T>,
  onProgress?: ProgressSink,
): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let pages = 0;
  let items = 0;
  const truncated = (why: string, cause?: unknown): TruncatedReadError => {
    const e = new TruncatedReadError(http.redact(`${req.collection}: read stopped after ${pages} page(s): ${why}`), {
      collection: req.collection,
      pagesRead: pages,
    });
    if (cause !== undefined) e.cause = cause;
    return e;
  };
  let url: string = http.resolve(req.target, req.query);
  const bounds = new PageBounds(http.paging, String(req.query?.$count ?? '').toLowerCase() === 'true');
  const deadline = readDeadline(http.paging.deadlineMs, req.signal, () =>
    truncated(`the read deadline passed (GRAPH_READ_DEADLINE_SECONDS = ${Math.round(http.paging.deadlineMs / 1000)})`),
  );
  const signal = deadline.signal;
  let requested = 0;
  const fetchPage = (target: string): Promise<GraphReply> =>
    http.send({
      method: 'GET',
      target,
      headers: req.headers,
      what: `GET ${req.collection}`,
      signal,
      ...(req.pagesAlone && requested++ > 0 ? { batch: false } : {}),
    });
  /** The request for `url`, when it was prefetched. */
  let pending: Promise<GraphReply> | null = null;
  try {
    for (;;) {
      seen.add(url);
      const { out, next, stop } = mapPage(await receive(url));
      pages++;
      items += out.length;
      onProgress?.({ collection: req.collection, pages, items });
      // Only the mapped items and the nextLink live across the yield: the wire page (its text and every parsed
      // object) is garbage before the consumer runs. Held here, it would wait out the next page's round trip while
      // the other lists' pages are parsed, survive the young generation's collections and be promoted: a
      // 300,000-device sweep's pages were ~170 MB of promoted garbage.
      yield out;
      if (next === null) return;
      if (seen.has(next)) throw truncated('the service returned a nextLink that was already followed (stuck cursor)');
      // A consumer that stopped at this page (a first match) never gets here: the bounds only refuse to go on.
      if (stop !== null) throw truncated(stop);
      if (signal.aborted) throw abortReason(signal);
      try {
        url = http.resolve(next);
      } catch (err) {
        throw truncated(`nextLink is unusable: ${err instanceof Error ? err.message : String(err)}`, err);
      }
    }
  } finally {
    deadline.end();
  }

  /** The reply for `url`: the prefetched request's, or a new one. */
  async function receive(target: string): Promise<GraphReply> {
    try {
      return await (pending ?? fetchPage(target));
    } catch (err) {
      if (signal.aborted) throw abortReason(signal);
      if (pages === 0 || err instanceof PermissionError || !(err instanceof GraphError)) throw err;
      throw truncated(`page ${pages + 1} failed: ${err.message}`, err);
    } finally {
      pending = null;
    }
  }

  /** One page's items, mapped; its nextLink; and why the read must stop after it (PageBounds), if it must. */
  function mapPage(reply: GraphReply): { out: T[]; next: string | null; stop: string | null } {
    const page = readPage(reply);
    if (typeof page === 'string') throw truncated(`page ${pages + 1} is malformed: ${page}`);
    // Checked before prefetching: a read that must stop sends nothing more.
    const stop = bounds.afterPage({
      items: page.value.length,
      hasNext: page.next !== null,
      count: page.count,
      shape: pageShape(page.value),
    });
    if (req.prefetch && stop === null && page.next !== null && !seen.has(page.next)) {
      // A nextLink we cannot follow is reported below, after this page, exactly as without prefetching.
      const next = tryResolve(http, page.next);
      if (next !== null) {
        pending = fetchPage(next);
        // Awaited on the next turn; if the consumer stops first, the failure must not go unhandled.
        void pending.catch(() => undefined);
      }
    }
    const out: T[] = [];
    for (const [i, raw] of page.value.entries()) {
      try {
        out.push(req.parse(raw));
      } catch (err) {
        throw truncated(`item ${i} of page ${pages + 1} is unusable: ${describeParseError(err)}`, err);
      }
    }
    return { out, next: page.next, stop };
  }
}

function tryResolve(http: GraphHttp, next: string): string | null {
  try {
    return http.resolve(next);
  } catch {
    return null;
  }
}

/** Collect a small list (owners, one group's few members) that the port returns whole. */
export async function collectAll<T>(source: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of source) all.push(...page);
  return all;
}

/** `{value: [...], '@odata.nextLink'?: string, '@odata.count'?: number}` or a reason it is not one. */
function readPage(reply: GraphReply): { value: unknown[]; next: string | null; count: number | null } | string {
  let body: unknown = reply.json;
  if (body === undefined) {
    try {
      body = JSON.parse(reply.text);
    } catch {
      return 'not valid JSON';
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not a JSON object';
  const rec = body as Record<string, unknown>;
  if (!Array.isArray(rec.value)) return '`value` is not an array';
  const rawCount = rec['@odata.count'];
  const count = typeof rawCount === 'number' && Number.isSafeInteger(rawCount) && rawCount >= 0 ? rawCount : null;
  const next = rec['@odata.nextLink'];
  if (next === undefined || next === null) return { value: rec.value, next: null, count };
  if (typeof next !== 'string' || next === '') return '`@odata.nextLink` is not a URL';
  return { value: rec.value, next, count };
}
