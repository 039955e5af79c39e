/**
 * Every request the simulator answered, for tests and the benchmark to assert on ("was the sync
 * called once?", "how many writes per 20 s?"). $batch items are logged twice on purpose: inside the
 * envelope's entry (`batchItems`) and as their own entries marked with `batch`, so a search for a
 * path finds batched calls too. Count `batch === undefined` entries for requests on the wire.
 */
export interface BatchItemLog {
  id: string;
  method: string;
  url: string;
  status: number;
}

export interface RequestLogEntry {
  seq: number;
  /**
   * The simulated tenant whose token the request carried and whose data answered it; null when no tenant's token
   * was presented (no token, an unknown or a revoked one: the 401s).
   */
  tenant: string | null;
  /** Simulator-clock time, ISO. */
  time: string;
  /** Real wall-clock time, ms since epoch. */
  realMs: number;
  method: string;
  /** Path after the version (Graph requests) or the full path (control/blob requests). */
  path: string;
  version: 'v1.0' | 'beta' | null;
  query: Record<string, string>;
  status: number;
  kind: 'read' | 'write';
  body?: unknown;
  batchItems?: BatchItemLog[];
  /** Set on entries for $batch items: the envelope's seq and the item id. */
  batch?: { seq: number; id: string };
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly max = 200_000) {}

  nextSeq(): number {
    return ++this.seq;
  }

  push(entry: RequestLogEntry): void {
    this.entries.push(entry);
    // Keep memory bounded in long benchmarks: drop the oldest tenth at once.
    if (this.entries.length > this.max) this.entries.splice(0, Math.ceil(this.max / 10));
  }

  list(sinceSeq = 0): RequestLogEntry[] {
    // Batch items finish before their envelope, so order by seq rather than by arrival.
    return this.entries.filter((e) => e.seq > sinceSeq).sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.entries = [];
  }
}
