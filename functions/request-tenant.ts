import type { HttpResponseInit, InvocationContext } from '@azure/functions';

import type { Container } from '../shared/composition/container.js';
import { withFields, type Fleet } from '../shared/composition/fleet.js';
import { invocationLogger } from '../shared/composition/host.js';
import type { TenantProfile } from '../shared/config/index.js';
import type { Logger } from '../shared/ports/index.js';
import { json, openContainer, openWith, type Opened, type ParamProblem, type StartupFailure } from './http-common.js';

// Which tenant an HTTP request is about. A single-tenant deployment (or a handler built around one container, as
// the tests and `serve` do) has one answer and takes no `tenant` parameter: every request behaves exactly as before
// the deployment could serve many. A many-tenant deployment needs `?tenant=<id>` on every per-tenant endpoint: a
// request must never fall back to some tenant it did not name, or one customer's devices would show on another's
// page. The value is compared case-insensitively with the configured ids and never quoted back (it is caller input).

export const TENANT_PARAM = 'tenant';

/** A tenant the request named, and how to open its container. */
export interface Selected {
  readonly ok: true;
  /** The tenant named by `?tenant=`, or null when the deployment serves one tenant (no parameter, no links carry it). */
  readonly tenant: TenantProfile | null;
  open(context: InvocationContext): Promise<Opened>;
}

export interface TenantRefused {
  readonly ok: false;
  /** 400: missing or malformed; 404: no configured tenant has it. */
  readonly status: 400 | 404;
  readonly problem: ParamProblem;
}

export interface Scope {
  /** The query parameters the scope reads on top of the endpoint's own ([] or ['tenant']). */
  readonly params: readonly string[];
  /** The fleet when the deployment serves several tenants (the overview and fleet health read it), else null. */
  readonly fleet: Fleet | null;
  /** The tenant of `?tenant=` (the value readQuery returned, undefined when absent). */
  select(value: string | undefined): Selected | TenantRefused;
}

export type Scoping =
  { readonly ok: true; readonly scope: Scope } | { readonly ok: false; readonly failure: StartupFailure };

/** How a handler finds its scope: from one container (the old factories) or from the host's fleet. */
export type Scoper = (context: InvocationContext) => Promise<Scoping>;

/** One container, no `tenant` parameter: the `make*Handler(getContainer)` factories, exactly as before. */
export function containerScoper(getContainer: () => Promise<Container>): Scoper {
  const scope: Scope = {
    params: [],
    fleet: null,
    select: () => ({ ok: true, tenant: null, open: (context) => openContainer(getContainer, context) }),
  };
  return () => Promise.resolve({ ok: true, scope });
}

/** The host's fleet: its one tenant as before, or the tenant `?tenant=` names. */
export function fleetScoper(getFleet: () => Promise<Fleet>): Scoper {
  return async (context) => {
    // The fleet is built from the settings (loadDeployment): a bad setting fails here, reported like a container's.
    const opened = await openWith(getFleet, context);
    if ('failure' in opened) return { ok: false, failure: opened.failure };
    const fleet = opened.value;
    if (!fleet.multiTenant) return containerScoper(() => fleet.deploymentContainer())(context);
    return { ok: true, scope: tenantScope(fleet) };
  };
}

function tenantScope(fleet: Fleet): Scope {
  return {
    params: [TENANT_PARAM],
    fleet,
    select: (value) => {
      const tenant = selectTenant(fleet, value);
      if (!tenant.ok) return tenant;
      const profile = tenant.tenant;
      return { ok: true, tenant: profile, open: (context) => openContainer(() => fleet.container(profile), context) };
    },
  };
}

/** The configured tenant a `?tenant=` value names, or why none is. */
export function selectTenant(
  fleet: Fleet,
  value: string | undefined,
): { readonly ok: true; readonly tenant: TenantProfile } | TenantRefused {
  if (value === undefined || value.trim() === '')
    return {
      ok: false,
      status: 400,
      problem: {
        parameter: TENANT_PARAM,
        message: `required: this deployment serves ${fleet.tenants.length} tenant(s); give the tenant id of one (GET /api/dashboard lists them)`,
      },
    };
  const tenant = fleet.find(value.trim());
  if (tenant === null)
    return {
      ok: false,
      status: 404,
      problem: {
        parameter: TENANT_PARAM,
        message: 'no configured tenant has this id (GET /api/dashboard lists the tenants this deployment serves)',
      },
    };
  return { ok: true, tenant };
}

/** `?tenant=<id>` (URL-encoded) for links inside a tenant's pages; '' for a single-tenant deployment. */
export function tenantQuery(tenant: TenantProfile | null, separator: '?' | '&'): string {
  return tenant === null ? '' : `${separator}${TENANT_PARAM}=${encodeURIComponent(tenant.key)}`;
}

/** A refused `tenant` as JSON (the API endpoints). */
export function refusedJson(r: TenantRefused): HttpResponseInit {
  return json(r.status, {
    error: r.status === 404 ? 'tenant-not-found' : 'invalid-request',
    message: `${r.problem.parameter}: ${r.problem.message}`,
    problems: [r.problem],
  });
}

/** A refused `tenant` as a page (the dashboard, the device page, the review page). */
export function refusedPageText(r: TenantRefused): { readonly title: string; readonly message: string } {
  return {
    title: r.status === 404 ? 'Unknown tenant' : 'Bad request',
    message: `${r.problem.parameter}: ${r.problem.message}`,
  };
}

/** The invocation's logger; on a many-tenant deployment every line names the tenant the request was about. */
export function requestLogger(context: InvocationContext, container: Container, tenant: TenantProfile | null): Logger {
  const logger = invocationLogger(context, container);
  return tenant === null ? logger : withFields(logger, { tenant: tenant.key });
}
