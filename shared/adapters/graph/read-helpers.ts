import type { z } from 'zod';
import { NotFoundError, PermanentError } from '../../ports/index.js';
import { type GraphCall, type GraphHttp, parseJson } from './graph-http.js';
import { describeParseError } from './schemas/common.js';

/** GET one resource and map it; an unusable body (no id, not JSON) is a PermanentError naming the call. */
export async function getOne<S extends z.ZodType>(
  http: GraphHttp,
  call: Omit<GraphCall, 'method'>,
  schema: S,
): Promise<z.output<S>> {
  const reply = await http.send({ ...call, method: 'GET' });
  const parsed = schema.safeParse(parseJson(reply, call.what));
  if (!parsed.success) {
    throw new PermanentError(`${call.what}: unusable response: ${describeParseError(parsed.error)}`, {
      status: reply.status,
      requestId: reply.requestId,
    });
  }
  return parsed.data;
}

/** For readers that model absence: 404 → null. Every other failure still throws. */
export async function getOneOrNull<S extends z.ZodType>(
  http: GraphHttp,
  call: Omit<GraphCall, 'method'>,
  schema: S,
): Promise<z.output<S> | null> {
  try {
    return await getOne(http, call, schema);
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** Client-side filter over a page stream; pages left empty are skipped. */
export async function* keepWhere<T>(source: AsyncIterable<T[]>, keep: (item: T) => boolean): AsyncGenerator<T[]> {
  for await (const page of source) {
    const kept = page.filter(keep);
    if (kept.length > 0) yield kept;
  }
}

/** First item of a filtered list, reading no further than needed. */
export async function firstOf<T>(source: AsyncIterable<T[]>): Promise<T | null> {
  for await (const page of source) {
    const [first] = page;
    if (first !== undefined) return first;
  }
  return null;
}
