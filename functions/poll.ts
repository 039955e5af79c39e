import { app, type InvocationContext, type Timer } from '@azure/functions';

import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostFleet } from '../shared/composition/host.js';
import { makeFleetTimerHandler, makeTimerJobHandler } from './tenant-jobs.js';

// Poll timer: claim the slot -> incremental poll -> log. A failed read aborts the run and is rethrown, so the
// invocation shows as failed in Application Insights (the next tick simply tries again). With many tenants the
// timer fans out, one run per tenant (tenant-jobs.ts).

export function makePollHandler(
  getContainer: () => Promise<Container>,
): (timer: Timer, context: InvocationContext) => Promise<void> {
  return makeTimerJobHandler('poll', getContainer);
}

app.timer(FUNCTION_NAMES.poll, {
  schedule: `%${BINDINGS.pollScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makeFleetTimerHandler('poll', getHostFleet),
});
