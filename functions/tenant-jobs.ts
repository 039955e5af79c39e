import type { InvocationContext, Timer } from '@azure/functions';

import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { rememberedFleetSize, runPoll } from '../shared/app/poll/run-poll.js';
import { eachTenant } from '../shared/app/tenants/each-tenant.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { withFields, type Fleet } from '../shared/composition/fleet.js';
import type { TenantJob, TenantRunRequest } from '../shared/core/model/index.js';
import type { Logger } from '../shared/ports/index.js';
import { claimTimerRun, reportingRun } from './run-slot.js';

// What a scheduled run does for one tenant, whoever starts it: the timer itself (one tenant), the timer's in-process
// fan-out, or the tenant-run queue trigger (many tenants on Service Bus).

type Figures = Readonly<Record<string, number | string>>;

export const JOB_NAMES: Readonly<Record<TenantJob, string>> = {
  poll: FUNCTION_NAMES.poll,
  compliance: FUNCTION_NAMES.complianceSweep,
};

async function pollJob(container: Container, logger: Logger, runId: string): Promise<Figures> {
  const result = await runPoll(container.pollDeps(logger), container.pollOptions('incremental', runId));
  // Without Service Bus (local development) the worker runs right here, so decided work is not lost in memory.
  const local = await container.drainLocally({ logger });
  return {
    findings: result.findings.length,
    opened: result.opened.length,
    resolved: result.resolved.length,
    commands: result.plan.commands.length,
    localRemediations: local.length,
  };
}

async function complianceJob(container: Container, logger: Logger, runId: string): Promise<Figures> {
  const result = await runComplianceSweep(container.complianceDeps(logger), container.complianceOptions(runId));
  const local = await container.drainLocally({ logger }); // no Service Bus (local development): work here
  return {
    devices: result.report.summary.totalDevices,
    findings: result.poll.findings.length,
    opened: result.poll.opened.length,
    resolved: result.poll.resolved.length,
    localRemediations: local.length,
    reportId: result.reportId,
  };
}

const JOBS: Readonly<Record<TenantJob, (c: Container, l: Logger, runId: string) => Promise<Figures>>> = {
  poll: pollJob,
  compliance: complianceJob,
};

/** A single tenant's timer: claim the slot in its runs table, run the job, leave the run's row. */
export function makeTimerJobHandler(job: TenantJob, getContainer: () => Promise<Container>) {
  return async function timerJob(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const run = await claimTimerRun(container, JOB_NAMES[job], timer, context);
    if (!run) return;
    await reportingRun(container, run, () => JOBS[job](container, run.logger, run.runId));
  };
}

/**
 * One tenant's share of a scheduled run: the slot is taken in the tenant's own runs table (a redelivered request
 * or a second timer does not run it twice), the job runs, and its row is left in the tenant's history.
 */
export async function runTenantJob(
  container: Container,
  request: TenantRunRequest,
  logger: Logger,
): Promise<'ran' | 'skipped'> {
  const name = JOB_NAMES[request.job];
  const now = container.clock.now();
  if (!(await container.stores.runs.tryStartRun(request.slot, now))) {
    logger.info(`${name}.skipped`, { slot: request.slot, reason: "this tenant's run already ran or is running" });
    return 'skipped';
  }
  const run = { slot: request.slot, runId: request.runId, logger, name, startedAt: now };
  await reportingRun(container, run, () => JOBS[request.job](container, logger, request.runId));
  return 'ran';
}

/**
 * The timer of a deployment: one tenant runs as it always did; many tenants fan out, one request each, to the
 * tenant-run queue (Service Bus) or, without one, run here TENANT_CONCURRENCY at a time.
 */
export function makeFleetTimerHandler(job: TenantJob, getFleet: () => Promise<Fleet>) {
  return async function fleetTimer(timer: Timer, context: InvocationContext): Promise<void> {
    const fleet = await getFleet();
    if (!fleet.multiTenant) return makeTimerJobHandler(job, () => fleet.deploymentContainer())(timer, context);
    const deployment = await fleet.deploymentContainer();
    const run = await claimTimerRun(deployment, JOB_NAMES[job], timer, context);
    if (!run) return;
    let failed: readonly string[] = [];
    await reportingRun(deployment, run, async () => {
      const result = await fanOut(fleet, job, run.slot, run.runId, run.logger);
      failed = result.failedTenants;
      // The deployment's own history (run rows, refused messages) ages out like a tenant's, once a day.
      if (job !== 'compliance') return result.figures;
      const cutoff = deployment.clock.now() - deployment.config.env.HISTORY_RETENTION_DAYS * 86_400_000;
      return { ...result.figures, deploymentHistoryDeleted: await deployment.stores.history.deleteOlderThan(cutoff) };
    });
    // Every tenant has had its turn; the invocation then fails, as a single tenant's failed run does, so a failure
    // alert on the function (Application Insights) fires. The tenants' own run rows say which and why.
    if (failed.length > 0)
      throw new Error(
        `${JOB_NAMES[job]}: ${failed.length} of ${fleet.tenants.length} tenants failed (${failed.join(', ')})`,
      );
  };
}

/**
 * What each tenant's run weighs against TENANT_DEVICE_BUDGET: the devices its last full sweep counted. A tenant not
 * yet swept (or whose tables do not answer now) weighs an eighth of the budget, so a first cycle of unknown tenants
 * runs eight at a time, as cautiously as the sizes it cannot see.
 */
async function tenantWeights(fleet: Fleet, budget: number, logger: Logger): Promise<number[]> {
  const unknown = Math.ceil(budget / 8);
  const sizes = await eachTenant(
    fleet.tenants.map((t) => ({ tenant: t.key, profile: t })),
    16,
    async ({ profile }) => rememberedFleetSize((await fleet.container(profile)).stores.watermarks, profile.key),
  );
  for (const s of sizes) if (!s.ok) logger.warn('tenant.size-unknown', { tenant: s.tenant, error: s.error });
  return sizes.map((s) => (s.ok && s.value !== null ? s.value : unknown));
}

export async function fanOut(
  fleet: Fleet,
  job: TenantJob,
  slot: string,
  runId: string,
  logger: Logger,
): Promise<{ readonly figures: Figures; readonly failedTenants: readonly string[] }> {
  const requests: TenantRunRequest[] = fleet.tenants.map((t) => ({
    schemaVersion: 1,
    tenant: t.key,
    job,
    slot,
    runId,
  }));
  if (fleet.tenantRuns !== null) {
    await fleet.tenantRuns.send(requests);
    return { figures: { tenants: requests.length, queued: requests.length }, failedTenants: [] };
  }
  const { concurrency, deviceBudget } = fleet.deployment;
  const weights = await tenantWeights(fleet, deviceBudget, logger);
  const results = await eachTenant(
    requests,
    { limit: concurrency, budget: deviceBudget, weight: (i) => weights[i] ?? deviceBudget },
    async (request) => {
      const tenant = fleet.find(request.tenant);
      if (tenant === null) throw new Error('not a configured tenant');
      const log = withFields(logger, { tenant: tenant.key });
      return runTenantJob(await fleet.container(tenant), request, log);
    },
  );
  const failed = results.filter((r) => !r.ok);
  for (const f of failed) logger.error(`${JOB_NAMES[job]}.tenant-failed`, { tenant: f.tenant, error: f.error });
  return {
    figures: {
      tenants: results.length,
      ran: results.filter((r) => r.ok && r.value === 'ran').length,
      skipped: results.filter((r) => r.ok && r.value === 'skipped').length,
      failed: failed.length,
    },
    failedTenants: failed.map((f) => f.tenant),
  };
}
