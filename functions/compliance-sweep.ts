import { app, type InvocationContext, type Timer } from '@azure/functions';

import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer } from '../shared/composition/host.js';
import { claimTimerRun, reportingRun } from './run-slot.js';

// Daily compliance sweep: claim the slot -> full sweep + report + digest + retention -> log.

export function makeComplianceHandler(getContainer: () => Promise<Container>) {
  return async function complianceSweep(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const run = await claimTimerRun(container, FUNCTION_NAMES.complianceSweep, timer, context);
    if (!run) return;
    const { logger } = run;
    await reportingRun(container, run, async () => {
      const result = await runComplianceSweep(container.complianceDeps(logger), container.complianceOptions(run.runId));
      const local = await container.drainLocally({ logger }); // no Service Bus (local development): work here
      return {
        devices: result.report.summary.totalDevices,
        findings: result.poll.findings.length,
        opened: result.poll.opened.length,
        resolved: result.poll.resolved.length,
        localRemediations: local.length,
        reportId: result.reportId,
      };
    });
  };
}

app.timer(FUNCTION_NAMES.complianceSweep, {
  schedule: `%${BINDINGS.complianceScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makeComplianceHandler(getHostContainer),
});
