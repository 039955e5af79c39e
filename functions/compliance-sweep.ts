import { app, type InvocationContext, type Timer } from '@azure/functions';

import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import { timerSlot } from './run-slot.js';

// Daily compliance sweep: claim the slot -> full sweep + report + digest + retention -> log.

export function makeComplianceHandler(getContainer: () => Promise<Container>) {
  return async function complianceSweep(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const logger = invocationLogger(context, container);
    const now = container.clock.now();
    const slot = timerSlot(FUNCTION_NAMES.complianceSweep, timer, now);
    if (!(await container.stores.runs.tryStartRun(slot, now))) {
      logger.info('compliance.skipped', { slot, reason: 'this scheduled run already ran or is running' });
      return;
    }
    const result = await runComplianceSweep(container.complianceDeps(logger), container.complianceOptions(`${slot}:${context.invocationId}`));
    logger.info('compliance.summary', { slot, reportId: result.reportId, devices: result.report.summary.totalDevices, findings: result.poll.findings.length });
  };
}

app.timer(FUNCTION_NAMES.complianceSweep, {
  schedule: `%${BINDINGS.complianceScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makeComplianceHandler(getHostContainer),
});
