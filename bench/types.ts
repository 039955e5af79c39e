// Shapes shared by the benchmark worker (one case per process) and the orchestrator (bench/run.ts).

import type { Minimum } from './minimum.js';
import type { FullCollection, RequestSummary } from './measure.js';

export const WRITE_LIMIT = { max: 100, windowMs: 20_000 } as const;
/** host.json extensions.serviceBus.maxConcurrentCalls: commands one Functions instance runs at once. */
export const WORKER_CONCURRENCY = 2;

export type RunName =
  | 'full sweep'
  | 'quiet poll'
  | 'quiet poll, $batch off'
  | 'poll after 1 % changed'
  | 'remediation burst'
  | 'burst, no write limit';

export interface RunResult {
  readonly name: RunName;
  readonly requests: RequestSummary;
  readonly minimum: Minimum | null;
  readonly latencyFloorMs: number | null;
  readonly wallMs: number;
  /** From the start of the run to the last Graph response: the read phase of a sweep or poll. */
  readonly graphPhaseMs: number;
  /** Peak RSS of the app process during the whole run, and during its Graph phase (sampled every 50 ms). */
  readonly peakRssBytes: number;
  readonly graphPhasePeakRssBytes: number;
  readonly rssSource: string;
  /** CPU (user + system) of the whole app process during this run. */
  readonly cpuMs: number;
  /** Of `cpuMs`, the part spent inside the in-memory stores (see README: a bench artefact). */
  readonly storeMs: number;
  /** CPU of the simulator process during this run (it shares the machine's 2 cores). */
  readonly simCpuMs: number | null;
  /** detectAll + decide + planRun on this run's snapshot (re-run after the run, see README). */
  readonly detectDecideCpuMs: number | null;
  readonly findings: number | null;
  readonly commands: number | null;
  readonly writes: {
    readonly total: number;
    readonly maxPerSliding20s: number;
    readonly per20sWindow: number[];
    readonly throttled429: number;
  };
  /**
   * Where a poll's or sweep's wall time went, from its own closing log lines (poll.finished: readMs, detectMs,
   * recordMs, decideMs, enqueueMs, proposeMs, alertMs; compliance.finished: reportMs, digestMs, retentionMs). Null for the burst.
   */
  readonly phasesMs: Readonly<Record<string, number>> | null;
  /**
   * A full sweep's memory over time: the highest RSS sampled by the end of each of its phases (keys as phasesMs), and
   * V8's full collections in the run (FullCollections in measure.ts). Null for the other runs.
   */
  readonly memory: {
    readonly peakRssByPhaseBytes: Readonly<Record<string, number>>;
    readonly collections: readonly FullCollection[];
    readonly heapLimitBytes: number;
  } | null;
  readonly notes: string[];
}

export interface WorkerOutput {
  readonly size: number;
  readonly case: 'reads' | 'burst';
  readonly latencyMs: number;
  readonly runs: RunResult[];
  readonly logEvents: Record<string, number>;
}

/** A target from an issue's done-when list, with what this run measured against it. */
export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}
