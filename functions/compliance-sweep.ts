import { app, type InvocationContext, type Timer } from '@azure/functions';

import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostFleet } from '../shared/composition/host.js';
import { makeFleetTimerHandler, makeTimerJobHandler } from './tenant-jobs.js';

// Daily compliance sweep: claim the slot -> full sweep + report + digest + retention -> log. With many tenants
// the timer fans out, one sweep per tenant (tenant-jobs.ts).

export function makeComplianceHandler(
  getContainer: () => Promise<Container>,
): (timer: Timer, context: InvocationContext) => Promise<void> {
  return makeTimerJobHandler('compliance', getContainer);
}

app.timer(FUNCTION_NAMES.complianceSweep, {
  schedule: `%${BINDINGS.complianceScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makeFleetTimerHandler('compliance', getHostFleet),
});
