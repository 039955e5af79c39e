import { ensureError } from '../../ports/index.js';

// Every tenant's run, as many at once as the limits allow. A tenant's failure (403, throttling, an outage, a bug) is
// caught and reported as that tenant's result: it never rejects the others' runs, and a slow tenant holds its own
// slot, not the line.
//
// Two limits: at most `limit` tenants at once, and at most `budget` devices in flight — a tenant weighs the devices
// its last full sweep counted, since a sweep's memory grows with its fleet. Fifty tenants of a thousand devices then
// run side by side, while two of 300,000 take turns. A tenant heavier than the whole budget still runs, alone.

export type TenantResult<R> =
  | { readonly tenant: string; readonly ok: true; readonly value: R }
  | { readonly tenant: string; readonly ok: false; readonly error: string };

export interface EachTenantLimits {
  /** Tenants at once. */
  readonly limit: number;
  /** Devices in flight at once (sum of the running tenants' weights); default: no budget. */
  readonly budget?: number;
  /** The devices a tenant's run holds, by position. Default 1 each. */
  readonly weight?: (index: number) => number;
}

export async function eachTenant<T extends { readonly tenant: string }, R>(
  items: readonly T[],
  limits: number | EachTenantLimits,
  run: (item: T) => Promise<R>,
): Promise<TenantResult<R>[]> {
  const {
    limit,
    budget = Number.POSITIVE_INFINITY,
    weight = () => 1,
  } = typeof limits === 'number' ? { limit: limits } : limits;
  const out = new Array<TenantResult<R>>(items.length);
  let next = 0;
  let running = 0;
  let inFlight = 0;
  return new Promise((resolve) => {
    const pump = (): void => {
      while (next < items.length && running < Math.max(1, limit)) {
        const w = Math.max(0, weight(next));
        // In order: the next tenant waits until it fits, unless nothing runs (then it runs alone, however heavy).
        if (running > 0 && inFlight + w > budget) break;
        const i = next++;
        running += 1;
        inFlight += w;
        const item = items[i] as T;
        void Promise.resolve()
          .then(() => run(item))
          .then(
            (value): TenantResult<R> => ({ tenant: item.tenant, ok: true, value }),
            (err: unknown): TenantResult<R> => ({ tenant: item.tenant, ok: false, error: ensureError(err).message }),
          )
          .then((result) => {
            out[i] = result;
            running -= 1;
            inFlight -= w;
            pump();
          });
      }
      if (running === 0 && next >= items.length) resolve(out);
    };
    pump();
  });
}
