import type { Json } from '../../ports/index.js';

export type HealthStatus = 'ok' | 'degraded' | 'failing';

export interface HealthCheck {
  readonly name:
    | 'startup'
    | 'config'
    | 'credential'
    | 'storage'
    | 'graph'
    | 'permissions'
    | 'endpoints'
    | 'device-prep-groups'
    | 'schedules';
  readonly status: HealthStatus;
  /** Plain words for an operator; never a secret, never a stack trace. */
  readonly detail: string;
  readonly data?: { readonly [k: string]: Json };
}

export interface HealthReport {
  /** The worst status of the checks. */
  readonly status: HealthStatus;
  readonly checkedAt: string;
  readonly checks: readonly HealthCheck[];
}

const RANK: Readonly<Record<HealthStatus, number>> = { ok: 0, degraded: 1, failing: 2 };

/** The worst of the statuses (checks, or the items of one check). */
export function worstStatus(checks: readonly { readonly status: HealthStatus }[]): HealthStatus {
  return checks.reduce<HealthStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'ok');
}

/** Name and message only (stacks stay in the logs), cut short: an SDK error can embed a whole response body. */
export function errorText(err: unknown, max = 300): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
