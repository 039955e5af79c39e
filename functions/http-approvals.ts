import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { decideApproval, readWithToken, type DecideResult } from '../shared/app/approvals/index.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { eachTenant } from '../shared/app/tenants/each-tenant.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import type { TenantProfile } from '../shared/config/index.js';
import { renderReviewPage, type ApprovalRequest } from '../shared/core/approvals/index.js';
import { escapeHtml } from '../shared/core/report/index.js';
import { readQuery, type StartupFailure } from './http-common.js';
import {
  containerScoper,
  fleetScoper,
  refusedPageText,
  requestLogger,
  TENANT_PARAM,
  type Scope,
  type Scoper,
  type Selected,
} from './request-tenant.js';
import { DASHBOARD_CSP } from './http-dashboard.js';

// GET /api/approvals/{id}?token=… renders the review page of one approval request; POST /api/approvals/{id}
// decides it (form fields or JSON: token, decision = approve | reject). Both need the function key, like every
// endpoint; the token proves the link was issued for exactly this request and is single-use (a decided request
// cannot be decided again). A GET never changes anything: link previewers and mail scanners open links.
//
// The page has the dashboard's CSP but lets its own two forms post back here (form-action 'self'): nothing loads,
// no script runs. The approver is the signed-in user when App Service Authentication is in front
// (x-ms-client-principal-name), otherwise "function key".

export const REVIEW_CSP = DASHBOARD_CSP.replace("form-action 'none'", "form-action 'self'");

const HTML_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': REVIEW_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

const STATUS: Readonly<Record<Extract<DecideResult, { kind: 'refused' }>['reason'], number>> = {
  'not-found': 404,
  // Not "forbidden": a wrong token must not tell a request that exists from one that does not.
  'invalid-token': 404,
  'no-signing-key': 403,
  expired: 410,
  'already-decided': 409,
  'action-off': 409,
  limit: 429,
  busy: 503,
  'not-queued': 503,
};

/**
 * The approver as the platform names them; anything odd (control characters, very long) is not trusted. The header is
 * App Service Authentication's: with it on, the platform removes a client's copy and sets its own; without it, the
 * header is whatever the caller sent, so it is read only when the platform says authentication is on
 * (WEBSITE_AUTH_ENABLED, injected by App Service: "Environment variables and app settings in Azure App Service",
 * Authentication & Authorization, https://learn.microsoft.com/azure/app-service/reference-app-settings). The headers:
 * https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities ("Access user claims in app
 * code")
 */
export function approverOf(
  request: HttpRequest,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (env['WEBSITE_AUTH_ENABLED']?.toLowerCase() !== 'true') return 'function key';
  const name = request.headers.get('x-ms-client-principal-name')?.trim() ?? '';
  const plain = [...name].every((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code >= 0x20 && !(code >= 0x7f && code <= 0x9f);
  });
  return name.length > 0 && name.length <= 256 && plain ? name : 'function key';
}

/**
 * The forms post to the page's own path, keeping the function key when the request carried it in the URL, and on a
 * many-tenant deployment the request's tenant.
 */
function formActionOf(request: HttpRequest, id: string, tenant: TenantProfile | null): string {
  const code = URL.canParse(request.url) ? new URL(request.url).searchParams.get('code') : null;
  const params = [
    ...(code ? [`code=${encodeURIComponent(code)}`] : []),
    ...(tenant === null ? [] : [`${TENANT_PARAM}=${encodeURIComponent(tenant.key)}`]),
  ];
  return `/api/approvals/${id}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

type Refusal = { readonly status: number; readonly title: string; readonly message: string };

/**
 * The tenant an approval request belongs to. Review links name it (`&tenant=`); a link issued without one (before
 * the deployment served several tenants, or by a container that did not add it) is looked up in every tenant's
 * approvals table: request ids are derived from the tenant (core/approvals approvalIdOf), so at most one holds it,
 * and its token is still checked against that request before anything is shown or decided.
 */
async function selectForApproval(
  scope: Scope,
  tenantValue: string | undefined,
  id: string,
): Promise<Selected | Refusal> {
  const fleet = scope.fleet;
  if (fleet === null || tenantValue !== undefined) {
    const selected = scope.select(tenantValue);
    return selected.ok ? selected : { status: selected.status, ...refusedPageText(selected) };
  }
  const found = await eachTenant(
    fleet.tenants.map((t) => ({ tenant: t.key, profile: t })),
    fleet.deployment.concurrency,
    async ({ profile }) =>
      (await (await fleet.container(profile)).stores.approvals.get(id)) === null ? null : profile,
  );
  const holders = found.flatMap((r) => (r.ok && r.value !== null ? [r.value] : []));
  const holder = holders.length === 1 ? holders[0] : undefined;
  if (holder === undefined) {
    const unread = found.some((r) => !r.ok);
    return {
      status: unread ? 503 : 404,
      title: 'Approval request',
      message: unread
        ? "the request could not be looked up (a tenant's tables could not be read); open the link again later"
        : 'no approval request has this id; open the link from the alert',
    };
  }
  const selected = scope.select(holder.key);
  return selected.ok ? selected : { status: selected.status, ...refusedPageText(selected) };
}

function idOf(request: HttpRequest): string {
  return (request.params['id'] ?? '').toLowerCase();
}

export function makeApprovalReviewHandler(getContainer: () => Promise<Container>) {
  return approvalReviewHandler(containerScoper(getContainer));
}

function approvalReviewHandler(scoper: Scoper) {
  return async function approvalReview(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return page(503, 'Not available', startupText(scoping.failure));
    const query = readQuery(request, ['token', ...scoping.scope.params]);
    if (!query.ok)
      return page(400, 'Bad request', query.problems.map((p) => `${p.parameter}: ${p.message}`).join('; '));
    const token = query.values.token;
    if (token === undefined)
      return page(400, 'Bad request', 'token: the review link carries one; open the link from the alert');
    const id = idOf(request);
    const selected = await selectForApproval(scoping.scope, query.values[TENANT_PARAM], id);
    if (!('ok' in selected)) return page(selected.status, selected.title, selected.message);
    const opened = await selected.open(context);
    if ('failure' in opened) return page(503, 'Not available', startupText(opened.failure));
    const { container } = opened;
    const read = await readWithToken(container.approvalDeps(), id, token);
    if ('kind' in read) return page(STATUS[read.reason], 'Approval request', read.message);
    return review(200, read.request, request, token, container, selected.tenant, null);
  };
}

export function makeApprovalDecisionHandler(getContainer: () => Promise<Container>) {
  return approvalDecisionHandler(containerScoper(getContainer));
}

function approvalDecisionHandler(scoper: Scoper) {
  return async function approvalDecision(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return page(503, 'Not available', startupText(scoping.failure));
    const query = readQuery(request, scoping.scope.params);
    if (!query.ok)
      return page(400, 'Bad request', query.problems.map((p) => `${p.parameter}: ${p.message}`).join('; '));
    const form = await readForm(request);
    if (form === null) return page(400, 'Bad request', 'expected a form or JSON body with token and decision');
    const { token, decision } = form;
    if (decision !== 'approve' && decision !== 'reject')
      return page(400, 'Bad request', 'decision: expected approve or reject');
    if (!token) return page(400, 'Bad request', 'token: required');
    const id = idOf(request);
    const selected = await selectForApproval(scoping.scope, query.values[TENANT_PARAM], id);
    if (!('ok' in selected)) return page(selected.status, selected.title, selected.message);
    const opened = await selected.open(context);
    if ('failure' in opened) return page(503, 'Not available', startupText(opened.failure));
    const { container } = opened;
    const logger = requestLogger(context, container, selected.tenant);
    const result = await decideApproval(container.approvalDeps(logger), {
      id,
      decision,
      approver: approverOf(request),
      token,
    });
    if (result.kind === 'refused') {
      logger.warn('approval.http.refused', { approvalId: id.slice(0, 40), reason: result.reason });
      if (result.request === null) return page(STATUS[result.reason], 'Approval request', result.message);
      return review(STATUS[result.reason], result.request, request, token, container, selected.tenant, {
        kind: 'refused',
        text: result.message,
      });
    }
    // Without Service Bus the worker runs here, now (as POST /api/sweep does); with it, the queue picks it up.
    if (result.kind === 'approved') await container.drainLocally({ logger });
    const latest = (await container.stores.approvals.get(result.request.id)) ?? result.request;
    const text =
      result.kind === 'approved'
        ? `Approved by ${result.request.decidedBy ?? 'you'}. ${latest.execution ? `The worker's outcome: ${latest.execution.status}.` : 'The worker will re-read the device and act.'}`
        : `Rejected by ${result.request.decidedBy ?? 'you'}: nothing will be deleted; the finding stays open.`;
    return review(200, latest, request, token, container, selected.tenant, { kind: 'ok', text });
  };
}

function review(
  status: number,
  r: ApprovalRequest,
  request: HttpRequest,
  token: string,
  container: Container,
  tenant: TenantProfile | null,
  notice: { kind: 'ok' | 'refused'; text: string } | null,
): HttpResponseInit {
  const body = renderReviewPage(r, {
    formAction: formActionOf(request, r.id, tenant),
    token,
    now: container.clock.now(),
    notice,
  });
  return { status, body, headers: HTML_HEADERS };
}

/** Form fields (the review page) or JSON (scripts); small bodies only. */
async function readForm(request: HttpRequest): Promise<{ token?: string; decision?: string } | null> {
  const type = request.headers.get('content-type') ?? '';
  let text: string;
  try {
    text = await request.text();
  } catch {
    return null;
  }
  if (text.length > 4_096) return null;
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const p = new URLSearchParams(text);
    return { token: p.get('token') ?? undefined, decision: p.get('decision') ?? undefined };
  }
  if (type.startsWith('application/json')) {
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null) return null;
      const o = v as Record<string, unknown>;
      return {
        token: typeof o['token'] === 'string' ? o['token'] : undefined,
        decision: typeof o['decision'] === 'string' ? o['decision'] : undefined,
      };
    } catch {
      return null;
    }
  }
  return null;
}

function startupText(failure: StartupFailure): string {
  return failure.kind === 'config'
    ? `invalid configuration: ${failure.problems.map((p) => p.key).join(', ')}`
    : failure.detail;
}

function page(status: number, title: string, message: string): HttpResponseInit {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — autopilot-medic</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:42rem;padding:0 1rem;color:#1b1b1b}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
  return { status, body, headers: HTML_HEADERS };
}

/** One function for both verbs (one route, as serve's bridge and the host both match routes by path). */
export function makeApprovalHandler(getContainer: () => Promise<Container>) {
  return bothVerbs(containerScoper(getContainer));
}

/** The host's handler: the one tenant as before, or on a many-tenant deployment the request's tenant. */
export function makeApprovalFleetHandler(getFleet: () => Promise<Fleet>) {
  return bothVerbs(fleetScoper(getFleet));
}

function bothVerbs(scoper: Scoper) {
  const review = approvalReviewHandler(scoper);
  const decide = approvalDecisionHandler(scoper);
  return (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> =>
    request.method.toUpperCase() === 'POST' ? decide(request, context) : review(request, context);
}

app.http(FUNCTION_NAMES.approval, {
  methods: ['GET', 'POST'],
  authLevel: 'function',
  route: 'approvals/{id}',
  handler: makeApprovalFleetHandler(getHostFleet),
});
