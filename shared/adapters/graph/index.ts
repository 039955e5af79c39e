import type { AppConfig } from '../../config/index.js';
import type {
  AutopilotReader,
  DeviceLookupReader,
  DirectoryReader,
  GraphProbe,
  IntuneActions,
  Logger,
} from '../../ports/index.js';
import { GraphAutopilotReader } from './autopilot-reader.js';
import { type TokenProvider, tokenProviderFor } from './credentials.js';
import { GraphDeviceLookupReader } from './device-lookup-reader.js';
import { GraphDirectoryReader } from './directory-reader.js';
import { timerSleep, type Sleep } from './abortable-sleep.js';
import { exportReport, type ReportSpec } from './export-report.js';
import { GraphHttp } from './graph-http.js';
import { GraphIntuneActions } from './intune-actions.js';
import type { ProgressSink } from './paging.js';
import { GraphHealthProbe } from './probe.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { SlidingWindowBudget, type WriteBudgetSettings, type WriteLimiter } from './write-budget.js';

export type { TokenProvider } from './credentials.js';
export { credentialTokenProvider, GRAPH_SCOPE, staticTokenProvider, tokenProviderFor } from './credentials.js';
export { SlidingWindowBudget, type WriteBudgetSettings, type WriteLimiter } from './write-budget.js';

/**
 * config.graph plus the tuning knobs from env (GRAPH_MAX_RETRIES, GRAPH_WRITE_BUDGET, GRAPH_PAGE_CONCURRENCY,
 * GRAPH_MAX_PAGES, GRAPH_READ_DEADLINE_SECONDS).
 */
export type GraphAdapterConfig = AppConfig['graph'] & {
  readonly maxRetries?: number;
  readonly writeBudget?: WriteBudgetSettings;
  /** Cap on in-flight requests (paging itself is sequential: each page names the next). */
  readonly pageConcurrency?: number;
  /** Most pages one list read may take without an @odata.count we asked for (page-bounds.ts). */
  readonly maxPages?: number;
  /** Most wall time one list read may take (page-bounds.ts). */
  readonly readDeadlineMs?: number;
};

/** The adapter settings from a loaded AppConfig (what the composition root passes). */
export function graphAdapterConfig(config: AppConfig): GraphAdapterConfig {
  return {
    ...config.graph,
    maxRetries: config.env.GRAPH_MAX_RETRIES,
    writeBudget: config.env.GRAPH_WRITE_BUDGET,
    pageConcurrency: config.env.GRAPH_PAGE_CONCURRENCY,
    maxPages: config.env.GRAPH_MAX_PAGES,
    readDeadlineMs: config.env.GRAPH_READ_DEADLINE_SECONDS * 1000,
  };
}

export interface GraphAdapterOptions {
  readonly fetch?: typeof fetch;
  /** Gets the call's abort signal; one that ignores it is still cut short on abort. */
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly onProgress?: ProgressSink;
  /** Share one limiter between adapter sets of the same app+tenant (it is the per-app Intune budget). */
  readonly writeBudget?: WriteLimiter;
  /** Replaces the credential built from config.auth (tests, custom credentials). */
  readonly tokens?: TokenProvider;
  readonly logger?: Logger;
  readonly retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  readonly timeoutMs?: number;
  readonly exportMaxWaitMs?: number;
  /**
   * Fold reads issued together into JSON $batch requests (read-batcher.ts): a quiet incremental poll then
   * costs about 5 requests instead of 8 + 2 per extra page of device-prep members and candidates. Off by default.
   */
  readonly batchReads?: boolean;
}

export interface GraphAdapters {
  readonly autopilot: AutopilotReader;
  readonly directory: DirectoryReader;
  readonly actions: IntuneActions;
  readonly probe: GraphProbe;
  /** Point reads for one device (the technician's lookup). */
  readonly lookup: DeviceLookupReader;
}

/** The one factory the composition root calls. Builds nothing that does I/O until a method is called. */
export function createGraphAdapters(config: GraphAdapterConfig, opts: GraphAdapterOptions = {}): GraphAdapters {
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const sleep = opts.sleep ?? timerSleep;
  const now = opts.now ?? Date.now;
  const tokens = opts.tokens ?? tokenProviderFor(config.auth);
  const writes =
    opts.writeBudget ?? new SlidingWindowBudget(config.writeBudget ?? { max: 100, windowMs: 20_000 }, now, sleep);
  const http = new GraphHttp({
    baseUrl: config.baseUrl,
    tokens,
    fetch: fetchImpl,
    sleep,
    now,
    random: opts.random ?? Math.random,
    retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry, maxRetries: config.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries },
    writes,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxConcurrency: config.pageConcurrency ?? 4,
    logger: opts.logger,
    batchReads: opts.batchReads ?? false,
    paging: {
      ...(config.maxPages !== undefined ? { maxPages: config.maxPages } : {}),
      ...(config.readDeadlineMs !== undefined ? { deadlineMs: config.readDeadlineMs } : {}),
    },
    secrets: configuredSecrets(config.auth),
  });
  const exporter = <T>(spec: ReportSpec<T>, signal?: AbortSignal): Promise<T[]> =>
    exportReport(
      {
        http,
        fetch: fetchImpl,
        sleep,
        now,
        maxWaitMs: opts.exportMaxWaitMs ?? 5 * 60_000,
        downloadTimeoutMs: 120_000,
      },
      spec,
      signal,
    );
  return {
    autopilot: new GraphAutopilotReader(http, exporter, opts.onProgress),
    directory: new GraphDirectoryReader(http, opts.onProgress),
    actions: new GraphIntuneActions(http, now),
    probe: new GraphHealthProbe(http, tokens),
    lookup: new GraphDeviceLookupReader(http, now),
  };
}

/** The secrets in the Graph settings, masked in every error text besides the tokens actually sent. */
function configuredSecrets(auth: GraphAdapterConfig['auth']): string[] {
  if (auth.kind === 'static-token') return [auth.token];
  if (auth.kind === 'client-secret') return [auth.secret];
  return [];
}
