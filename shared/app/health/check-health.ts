import type { DevicePrepGroupRule } from '../../core/detect/index.js';
import type { ActionName } from '../../core/model/index.js';
import type { Clock, GraphHealth, GraphProbe, Stores, WatermarkStore } from '../../ports/index.js';
import { credentialCheck, type CredentialInfo } from './credential-check.js';
import { endpointCheck } from './endpoint-check.js';
import { groupCheck, type GroupCheckDeps } from './group-check.js';
import { permissionCheck, type TokenKind } from './permission-check.js';
import { scheduleCheck, type ScheduleInfo } from './schedule-check.js';
import { errorText, worstStatus, type HealthCheck, type HealthReport } from './types.js';

export type { CredentialInfo } from './credential-check.js';
export type { TokenKind } from './permission-check.js';
export type { ScheduleInfo } from './schedule-check.js';
export * from './types.js';

// The health use case, for `autopilot-medic health` and GET /api/health alike. It runs once the configuration
// parsed; then the credential and its tenant, the token's permissions per tier, one read-only request per endpoint
// the product reads, each configured device-preparation group, every table, and the schedules. Each check runs
// under a time limit: a health check that hangs on a retrying SDK is worse than one that says "timed out". Nothing
// here writes to the tenant.

export interface HealthDeps extends GroupCheckDeps {
  readonly watermarks: Pick<WatermarkStore, 'get'>;
  readonly probeTables?: Stores['probeTables'];
  readonly probe: GraphProbe;
  readonly clock: Clock;
}

export interface HealthOptions {
  readonly tenant: string;
  readonly tokenKind: TokenKind;
  readonly enforcedActions: readonly ActionName[];
  readonly credential: CredentialInfo;
  readonly devicePrepGroups: readonly DevicePrepGroupRule[];
  readonly schedules: readonly ScheduleInfo[];
  /** Per check; default 10 s (the endpoint and group checks get this per request they make, bounded). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A stream no writer uses: the read is a cheap point lookup that proves the table answers. */
const PROBE_STREAM = 'health-probe';

export async function checkHealth(deps: HealthDeps, opts: HealthOptions): Promise<HealthReport> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const [storage, graph] = await Promise.all([
    storageCheck(deps, opts.tenant, timeoutMs),
    graphProbe(deps.probe, timeoutMs),
  ]);
  const checks: HealthCheck[] = [
    { name: 'config', status: 'ok', detail: 'configuration is valid' },
    credentialCheck(opts.credential, graph.health),
    storage,
    graph.check,
    permissionCheck({
      probe: graph.health,
      tokenKind: opts.tokenKind,
      enforcedActions: opts.enforcedActions,
      tenantId: graph.health?.tokenTenantId ?? opts.credential.configuredTenantId,
    }),
  ];
  // Without a token or an answer, every further Graph request would only repeat the same failure.
  if (graph.health?.reachable) {
    const bound = timeoutMs * 8;
    checks.push(
      await withTimeout(endpointCheck(deps.probe), bound).catch((err: unknown) => timedOut('endpoints', err)),
    );
    checks.push(
      await withTimeout(groupCheck(deps, opts.devicePrepGroups), bound).catch((err: unknown) =>
        timedOut('device-prep-groups', err),
      ),
    );
  } else {
    const skipped = 'not checked: Graph gave no token or no answer (see graph)';
    checks.push(
      { name: 'endpoints', status: 'failing', detail: skipped },
      { name: 'device-prep-groups', status: opts.devicePrepGroups.length === 0 ? 'ok' : 'failing', detail: skipped },
    );
  }
  checks.push(scheduleCheck(opts.schedules));
  return report(checks, deps.clock.now());
}

/** What the endpoint says when the app could not start: bad settings are listed by key, never by value. */
export function startupFailureHealth(
  failure:
    { readonly problems: readonly { readonly key: string; readonly message: string }[] } | { readonly detail: string },
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
    if (!deps.probeTables)
      return {
        name: 'storage',
        status: 'ok',
        detail: 'storage answered (in memory)',
        data: { ms: deps.clock.now() - started, tables: [] },
      };
    const tables = await withTimeout(deps.probeTables(), timeoutMs);
    const bad = tables.filter((t) => !t.ok);
    const data = {
      ms: deps.clock.now() - started,
      tables: tables.map((t) => ({ table: t.table, ok: t.ok, detail: t.detail })),
    };
    if (bad.length > 0)
      return {
        name: 'storage',
        status: 'failing',
        detail: `${bad.length} of ${tables.length} table(s) did not answer: ${bad.map((t) => t.table).join(', ')}`,
        data,
      };
    return { name: 'storage', status: 'ok', detail: `${tables.length} table(s) answered`, data };
  } catch (err) {
    return { name: 'storage', status: 'failing', detail: `table storage read failed: ${errorText(err)}` };
  }
}

function timedOut(name: HealthCheck['name'], err: unknown): HealthCheck {
  return { name, status: 'failing', detail: errorText(err) };
}

async function graphProbe(
  probe: GraphProbe,
  timeoutMs: number,
): Promise<{ check: HealthCheck; health: GraphHealth | null }> {
  let health: GraphHealth;
  try {
    health = await withTimeout(probe.check(), timeoutMs);
  } catch (err) {
    return {
      check: { name: 'graph', status: 'failing', detail: `Graph probe failed: ${errorText(err)}` },
      health: null,
    };
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
