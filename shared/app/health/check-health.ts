import type { ActionName } from '../../core/model/index.js';
import type { Clock, GraphHealth, GraphProbe, WatermarkStore } from '../../ports/index.js';
import { permissionCheck, type TokenKind } from './permission-check.js';
import { worstStatus, type HealthCheck, type HealthReport } from './types.js';

export type { TokenKind } from './permission-check.js';
export * from './types.js';

// The health endpoint's use case. It runs only once the container exists, so the configuration parsed; then
// storage (one point read) and Graph (token, one read, the token's roles) are checked side by side, each under a
// time limit: a health check that hangs on a retrying SDK is worse than one that says "timed out".

export interface HealthDeps {
  readonly watermarks: Pick<WatermarkStore, 'get'>;
  readonly probe: GraphProbe;
  readonly clock: Clock;
}

export interface HealthOptions {
  readonly tenant: string;
  readonly tokenKind: TokenKind;
  readonly enforcedActions: readonly ActionName[];
  /** Per check; default 10 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A stream no writer uses: the read is a cheap point lookup that proves the table answers. */
const PROBE_STREAM = 'health-probe';

export async function checkHealth(deps: HealthDeps, opts: HealthOptions): Promise<HealthReport> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const [storage, graph] = await Promise.all([storageCheck(deps, opts.tenant, timeoutMs), graphProbe(deps.probe, timeoutMs)]);
  const checks: HealthCheck[] = [
    { name: 'config', status: 'ok', detail: 'configuration is valid' },
    storage,
    graph.check,
    permissionCheck({ probe: graph.health, tokenKind: opts.tokenKind, enforcedActions: opts.enforcedActions }),
  ];
  return report(checks, deps.clock.now());
}

/** What the endpoint says when the app could not start: bad settings are listed by key, never by value. */
export function startupFailureHealth(
  failure: { readonly problems: readonly { readonly key: string; readonly message: string }[] } | { readonly detail: string },
  now: number,
): HealthReport {
  const check: HealthCheck =
    'problems' in failure
      ? {
          name: 'config',
          status: 'failing',
          detail: `invalid configuration: ${failure.problems.map((p) => p.key).join(', ')}`,
          data: { problems: failure.problems.map((p) => ({ key: p.key, message: p.message })) },
        }
      : { name: 'startup', status: 'failing', detail: failure.detail };
  return report([check], now);
}

function report(checks: readonly HealthCheck[], now: number): HealthReport {
  return { status: worstStatus(checks), checkedAt: new Date(now).toISOString(), checks };
}

async function storageCheck(deps: HealthDeps, tenant: string, timeoutMs: number): Promise<HealthCheck> {
  const started = deps.clock.now();
  try {
    await withTimeout(deps.watermarks.get(tenant, PROBE_STREAM), timeoutMs);
    return { name: 'storage', status: 'ok', detail: 'table storage answered', data: { ms: deps.clock.now() - started } };
  } catch (err) {
    return { name: 'storage', status: 'failing', detail: `table storage read failed: ${errorText(err)}` };
  }
}

async function graphProbe(probe: GraphProbe, timeoutMs: number): Promise<{ check: HealthCheck; health: GraphHealth | null }> {
  let health: GraphHealth;
  try {
    health = await withTimeout(probe.check(), timeoutMs);
  } catch (err) {
    return { check: { name: 'graph', status: 'failing', detail: `Graph probe failed: ${errorText(err)}` }, health: null };
  }
  // The probe reports an HTTP answer (403, 429, 5xx) as reachable: Graph is there, but the read did not succeed.
  const status = !health.reachable ? 'failing' : health.detail.startsWith('ok') ? 'ok' : 'degraded';
  return { check: { name: 'graph', status, detail: health.detail, data: { reachable: health.reachable } }, health };
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  // Name and message only (stacks stay in the logs), cut short: an SDK error can embed a whole response body.
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
