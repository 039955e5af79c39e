import { ensureError } from '../../ports/index.js';
import { mapLimited } from '../poll/map-limited.js';

// Every tenant's run, at most `limit` at once. A tenant's failure (403, throttling, an outage, a bug) is caught and
// reported as that tenant's result: it never rejects the others' runs, and a slow tenant holds one slot, not the
// line.

export type TenantResult<R> =
  | { readonly tenant: string; readonly ok: true; readonly value: R }
  | { readonly tenant: string; readonly ok: false; readonly error: string };

export async function eachTenant<T extends { readonly tenant: string }, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<TenantResult<R>[]> {
  return mapLimited(items, limit, async (item): Promise<TenantResult<R>> => {
    try {
      return { tenant: item.tenant, ok: true, value: await run(item) };
    } catch (err) {
      return { tenant: item.tenant, ok: false, error: ensureError(err).message };
    }
  });
}
