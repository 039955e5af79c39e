// Shapes of the many-tenants case (issue 21), shared by its worker (bench/fleet-worker.ts, one run per process) and
// its orchestrator (bench/fleet-case.ts).

/** What one tenant's request log in the simulator holds after a run. */
export interface TenantRequests {
  readonly tenant: string;
  /** Graph requests on the wire, read and write (the envelope of a $batch counts once). */
  readonly wire: number;
  readonly reads: number;
  readonly writes: number;
  /**
   * Logical Graph calls (unbatched requests plus $batch items) by collection. Which reads share a $batch depends
   * on timing, so the wire count may differ between runs of the same work; these calls may not.
   */
  readonly calls: number;
  readonly byCollection: Record<string, number>;
  /** Non-2xx answers (wire requests and $batch items). */
  readonly errors: number;
  readonly throttled429: number;
  /** Entries in this tenant's log that name another tenant: must be 0 (the simulator routes by token). */
  readonly foreign: number;
}

/** One tenant's share of a run, as the app reported it. */
export interface TenantTiming {
  readonly tenant: string;
  /** From the run's start to when fan-out built the tenant's container (its turn came). */
  readonly startOffsetMs: number;
  /** From its turn to its job's summary: the tenant's own run, as long as any wait for CPU made it. */
  readonly runMs: number;
  /** Devices in the tenant's compliance report (its full sweep read them). */
  readonly devices: number | null;
  readonly findings: number | null;
}

/** Whose data a tenant's container read (bench/tenant-data.ts). */
export interface TenantData {
  readonly tenant: string;
  /** Devices (by serial) with an open finding in the tenant's own stores after the run. */
  readonly deviceFindings: number;
  /** Of those, devices the simulator planted a problem on in this tenant. */
  readonly ownPlants: number;
  /** The most of those any other hosted tenant planted a problem on: must be below `ownPlants`. */
  readonly mostOtherPlants: number;
}

export interface FleetRun {
  /** `alone`: one tenant in its own process; `fleet`: every tenant through one fan-out. */
  readonly mode: 'alone' | 'fleet';
  /** TENANT_CONCURRENCY in effect, and whether it was the deployment's default (the setting left unset). */
  readonly concurrency: number;
  readonly concurrencyIsDefault: boolean;
  readonly tenants: string[];
  /** The measured cycle: the second of the process, when every tenant's size is known from the first. */
  readonly wallMs: number;
  /** The first cycle after the deployment (no size known yet: tenants weigh an eighth of the budget); absent in old results. */
  readonly firstCycleWallMs?: number;
  /** CPU (user + system) of the app process during the fan-out. */
  readonly cpuMs: number;
  readonly peakRssBytes: number;
  readonly rssSource: string;
  /** Share of the wall time the app's event loop was busy (1 = the app process was CPU-bound). */
  readonly eventLoopUtilization: number;
  /** CPU of the simulator process during the fan-out (it shares the machine's cores with the app). */
  readonly simCpuMs: number | null;
  /**
   * CPU every other process on the machine used during the fan-out (all cores, less the app's and the simulator's):
   * the bench shares its cores, and a busy neighbour shows here rather than as a slower app.
   */
  readonly otherCpuMs: number | null;
  /**
   * How long the app's JavaScript thread, and the simulator's, were ready to run but waited for a core during the
   * fan-out (/proc/PID/schedstat): time the shared machine, not the code, added to the wall.
   */
  readonly appRunQueueWaitMs: number | null;
  readonly simRunQueueWaitMs: number | null;
  /** fanOut's own figures: tenants, ran, skipped, failed. */
  readonly figures: Readonly<Record<string, number | string>>;
  readonly timings: TenantTiming[];
  /**
   * The logs of the run's tenants, and of any other hosted tenant that has requests (it must have none: such a
   * tenant is listed so the check can name it).
   */
  readonly requests: TenantRequests[];
  /** Hosted tenants outside the run whose logs were read and were empty (kept as a count: 49 alike per run). */
  readonly quietOthers: number;
  readonly data: TenantData[];
  /** Requests that carried no hosted tenant's token during the run: must be 0. */
  readonly unauthenticated: number;
  /** Warnings and errors the app logged, by event. */
  readonly logEvents: Record<string, number>;
}
