import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { runPoll, type PollResult } from '../shared/app/poll/run-poll.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import type { DecisionKind } from '../shared/core/model/index.js';
import { GraphError, ThrottledError, TruncatedReadError } from '../shared/ports/index.js';
import { badRequest, clip, iso, json, readQuery, startupFailureResponse } from './http-common.js';
import {
  containerScoper,
  fleetScoper,
  refusedJson,
  TENANT_PARAM,
  requestLogger,
  type Scoper,
} from './request-tenant.js';

// POST /api/sweep[?plan=true]: the same incremental poll as the timer, now. With plan=true every action runs in
// plan mode (nothing is written to the tenant) and the answer lists each decision and command; without it, the
// summary. A Graph read that could not finish aborts the run (nothing decided) and comes back as 502.

export function makeSweepHandler(getContainer: () => Promise<Container>) {
  return sweepHandler(containerScoper(getContainer));
}

/** The host's handler: the one tenant as before, or on a many-tenant deployment the one `?tenant=` names. */
export function makeSweepFleetHandler(getFleet: () => Promise<Fleet>) {
  return sweepHandler(fleetScoper(getFleet));
}

function sweepHandler(scoper: Scoper) {
  return async function sweep(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return startupFailureResponse(scoping.failure);
    const query = readQuery(request, ['plan', ...scoping.scope.params]);
    if (!query.ok) return badRequest(query.problems);
    const plan = parsePlan(query.values.plan);
    if (plan === null) {
      return badRequest([
        { parameter: 'plan', message: `expected true or false, got "${clip(query.values.plan ?? '')}"` },
      ]);
    }
    const selected = scoping.scope.select(query.values[TENANT_PARAM]);
    if (!selected.ok) return refusedJson(selected);
    const opened = await selected.open(context);
    if ('failure' in opened) return startupFailureResponse(opened.failure);
    const { container } = opened;
    const logger = requestLogger(context, container, selected.tenant);
    const runId = `http:${context.invocationId}`;
    try {
      const result = await runPoll(container.pollDeps(logger), container.pollOptions('incremental', runId, plan));
      // With Service Bus the worker picks the commands up; without it (local development) they run here.
      const local = await container.drainLocally({ logger });
      const outcomes = local.map((a) => ({
        action: a.command.action,
        mode: a.command.mode,
        status: a.outcome.status,
        detail: a.outcome.detail,
      }));
      logger.info('sweep.http.finished', {
        runId,
        plan,
        findings: result.findings.length,
        commands: result.plan.commands.length,
        localRemediations: local.length,
      });
      const body = plan
        ? { ...summary(result, plan), decisions: decisionsOf(result), commands: result.plan.commands }
        : summary(result, plan);
      return json(200, { ...body, localOutcomes: outcomes });
    } catch (err) {
      if (!(err instanceof GraphError)) throw err; // a bug or a storage failure: the host logs it and answers 500
      logger.error('sweep.http.graph-failed', {
        runId,
        kind: err.kind,
        status: err.status,
        code: err.code,
        requestId: err.requestId,
        reason: err.message,
      });
      return graphFailure(err, runId);
    }
  };
}

/** Absent = false; otherwise exactly true or false (case-insensitive), so `?plan=yes` is not taken as enforce. */
function parsePlan(raw: string | undefined): boolean | null {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : null;
}

function summary(r: PollResult, plan: boolean) {
  const byKind: Record<DecisionKind, number> = { remediate: 0, defer: 0, 'alert-only': 0, skip: 0 };
  for (const d of r.plan.decisions) byKind[d.kind] += 1;
  return {
    runId: r.runId,
    kind: r.kind,
    mode: plan ? 'plan' : 'configured',
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.finishedAt - r.startedAt,
    // Counts under their own key: with plan=true, `decisions` and `commands` are the lists themselves.
    counts: {
      newEvents: r.newEvents,
      findings: r.findings.length,
      opened: r.opened.length,
      resolved: r.resolved.length,
      decisions: byKind,
      commands: r.plan.commands.length,
      // Records skipped because they cannot be used; each is an AP_TENANT_RECORD_UNUSABLE finding too.
      unusableRecords: r.observed.unusableRecords.length,
    },
    blastRadius: r.plan.blastRadius,
    alerts: r.alerts,
  };
}

function decisionsOf(r: PollResult) {
  return r.plan.decisions.map((d) => ({
    code: d.finding.code,
    title: d.finding.title,
    severity: d.finding.severity,
    subject: d.finding.subject,
    kind: d.kind,
    action: d.action,
    mode: d.mode,
    reason: d.reason,
    notBefore: iso(d.notBefore),
  }));
}

function graphFailure(err: GraphError, runId: string): HttpResponseInit {
  const body = {
    error: 'graph-read-failed',
    message: `the sweep was aborted and nothing was decided: ${err.message}`,
    runId,
    graph: {
      kind: err.kind,
      status: err.status,
      code: err.code,
      requestId: err.requestId,
      ...(err instanceof TruncatedReadError ? { collection: err.collection, pagesRead: err.pagesRead } : {}),
    },
    ...(err.kind === 'permission'
      ? { hint: 'the app identity lacks a Graph permission: GET /api/health lists what is missing' }
      : {}),
  };
  const retryAfter =
    err instanceof ThrottledError && err.retryAfterMs !== null
      ? { 'retry-after': String(Math.ceil(err.retryAfterMs / 1000)) }
      : undefined;
  return json(502, body, retryAfter);
}

app.http(FUNCTION_NAMES.sweepNow, {
  methods: ['POST'],
  authLevel: 'function',
  route: 'sweep',
  handler: makeSweepFleetHandler(getHostFleet),
});
