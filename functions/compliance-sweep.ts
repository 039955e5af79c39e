import { app, type InvocationContext, type Timer } from '@azure/functions';

import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer } from '../shared/composition/host.js';
import { claimTimerRun } from './run-slot.js';

// Daily compliance sweep: claim the slot -> full sweep + report + digest + retention -> log.

export function makeComplianceHandler(getContainer: () => Promise<Container>) {
  return async function complianceSweep(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const run = await claimTimerRun(container, FUNCTION_NAMES.complianceSweep, timer, context);
    if (!run) return;
    const { logger, slot } = run;
    const result = await runComplianceSweep(container.complianceDeps(logger), container.complianceOptions(run.runId));
    const local = await container.drainLocally({ logger }); // no Service Bus (local development): work here
    logger.info('complianceSweep.summary', {
      slot,
      localRemediations: local.length,
      reportId: result.reportId,
      devices: result.report.summary.totalDevices,
      findings: result.poll.findings.length,
    });
  };
}

app.timer(FUNCTION_NAMES.complianceSweep, {
  schedule: `%${BINDINGS.complianceScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makeComplianceHandler(getHostContainer),
});
