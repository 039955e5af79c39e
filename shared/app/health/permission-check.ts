import type { ActionName } from '../../core/model/index.js';
import {
  GRAPH_PERMISSIONS,
  missingPermissions,
  type GraphPermission,
  type PermissionTier,
} from '../../core/permissions/index.js';
import type { GraphHealth } from '../../ports/index.js';
import type { HealthCheck, HealthStatus } from './types.js';

// Which required Graph permissions the token lacks, from the ONE permission list. Only an app-only token
// carries the `roles` claim: a static token (simulator, proxy) or a delegated Azure CLI token carries none, and
// reading that as "everything missing" would send an operator granting permissions that are not the problem.

/** How the app gets its Graph token: decides whether an empty `roles` claim means anything. */
export type TokenKind = 'application' | 'static' | 'delegated';

export interface PermissionCheckInput {
  readonly probe: GraphHealth | null;
  readonly tokenKind: TokenKind;
  /** Actions configured in enforce mode: the remediate tier matters only for them. */
  readonly enforcedActions: readonly ActionName[];
  readonly permissions?: readonly GraphPermission[];
  /**
   * The tenant the permissions were read in (the token's `tid`, else the configured tenant): with many tenants from
   * one deployment, consent and permissions are granted per tenant, so the check's data names its tenant.
   */
  readonly tenantId?: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Plain mutable JSON, as the health report is serialised as is. */
type Missing = Record<PermissionTier, { permission: string; calls: string[] }[]>;

const NOT_VERIFIABLE: Readonly<Record<Exclude<TokenKind, 'application'>, string>> = {
  static: 'permissions not verifiable with a static token (it carries no roles claim)',
  delegated: 'permissions not verifiable with a delegated (Azure CLI) token: it carries scopes, not application roles',
};

export function permissionCheck(input: PermissionCheckInput): HealthCheck {
  const granted = input.probe?.grantedPermissions ?? [];
  if (granted.length === 0 && input.tokenKind !== 'application') {
    return { name: 'permissions', status: 'ok', detail: NOT_VERIFIABLE[input.tokenKind], data: { verifiable: false } };
  }
  if (granted.length === 0 && !input.probe?.reachable) {
    // No token or no answer: the graph check already says why; claiming "all missing" would mislead.
    return {
      name: 'permissions',
      status: 'degraded',
      detail: 'not checked: no token was obtained or Graph did not answer',
      data: { verifiable: false },
    };
  }
  const missing = byTier(missingPermissions(granted, input.permissions ?? GRAPH_PERMISSIONS));
  const { status, detail } = verdict(missing, input.enforcedActions);
  // Only a GUID is echoed: the token's claim is not ours to print as is.
  const tenant = input.tenantId && GUID.test(input.tenantId) ? input.tenantId.toLowerCase() : null;
  return {
    name: 'permissions',
    status,
    // The tenant is in the data, not the detail: a single tenant's report reads as it always did, and with many
    // tenants each tenant's checks are reported under that tenant.
    detail,
    data: {
      verifiable: true,
      tenantId: tenant,
      granted: [...granted],
      missing,
      enforcedActions: [...input.enforcedActions],
    },
  };
}

function byTier(list: readonly GraphPermission[]): Missing {
  const out: Missing = { read: [], report: [], remediate: [] };
  for (const p of list) out[p.requiredFor].push({ permission: p.permission, calls: [...p.calls] });
  return out;
}

function verdict(missing: Missing, enforced: readonly ActionName[]): { status: HealthStatus; detail: string } {
  const names = (t: PermissionTier) => missing[t].map((p) => p.permission).join(', ');
  if (missing.read.length > 0)
    return { status: 'failing', detail: `polls and sweeps abort: missing read permissions ${names('read')}` };
  const problems: string[] = [];
  if (missing.report.length > 0) problems.push(`device-preparation report export fails: missing ${names('report')}`);
  if (missing.remediate.length > 0 && enforced.length > 0) {
    problems.push(`enforced remediations (${enforced.join(', ')}) may fail: missing ${names('remediate')}`);
  }
  if (problems.length > 0) return { status: 'degraded', detail: problems.join('; ') };
  if (missing.remediate.length > 0)
    return { status: 'ok', detail: `no action is enforced; grant ${names('remediate')} before enforcing` };
  return { status: 'ok', detail: 'every required permission is granted' };
}
