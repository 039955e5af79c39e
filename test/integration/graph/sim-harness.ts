// Graph adapters wired to a running tenant simulator over real loopback HTTP.
import {
  createGraphAdapters,
  type GraphAdapterOptions,
  type GraphAdapters,
} from '../../../shared/adapters/graph/index.js';
import type { RequestLogEntry, Simulator } from '../../../sim/index.js';

export interface AdapterTuning {
  maxRetries?: number;
  writeBudget?: { max: number; windowMs: number };
}

export function adaptersFor(sim: Simulator, tuning: AdapterTuning = {}, opts: GraphAdapterOptions = {}): GraphAdapters {
  return createGraphAdapters(
    {
      baseUrl: sim.url,
      auth: { kind: 'static-token', token: sim.token },
      isMicrosoftGraph: false,
      maxRetries: tuning.maxRetries ?? 3,
      writeBudget: tuning.writeBudget ?? { max: 100, windowMs: 20_000 },
      pageConcurrency: 4,
    },
    opts,
  );
}

/** Backoff without waiting: for tests where only the decision matters, not the time it takes. */
export const quickSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)));

export async function drain<T>(source: AsyncIterable<T[]>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  for await (const page of source) {
    pages++;
    items.push(...page);
  }
  return { items, pages };
}

/** Graph requests on the wire (not $batch items) whose path matches. */
export function wire(sim: Simulator, path: RegExp, method?: string): RequestLogEntry[] {
  return sim
    .requests()
    .filter(
      (e) => e.batch === undefined && e.version !== null && path.test(e.path) && (!method || e.method === method),
    );
}
