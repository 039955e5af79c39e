import { app, type InvocationContext, type Timer } from '@azure/functions';

import { runPoll } from '../shared/app/poll/run-poll.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer } from '../shared/composition/host.js';
import { claimTimerRun, reportingRun } from './run-slot.js';

// Poll timer: claim the slot -> incremental poll -> log. A failed read aborts the run and is rethrown, so the
// invocation shows as failed in Application Insights (the next tick simply tries again).

export function makePollHandler(getContainer: () => Promise<Container>) {
  return async function poll(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const run = await claimTimerRun(container, FUNCTION_NAMES.poll, timer, context);
    if (!run) return;
    const { logger } = run;
    await reportingRun(container, run, async () => {
      const result = await runPoll(container.pollDeps(logger), container.pollOptions('incremental', run.runId));
      // Without Service Bus (local development) the worker runs right here, so decided work is not lost in memory.
      const local = await container.drainLocally({ logger });
      return {
        findings: result.findings.length,
        opened: result.opened.length,
        resolved: result.resolved.length,
        commands: result.plan.commands.length,
        localRemediations: local.length,
      };
    });
  };
}

app.timer(FUNCTION_NAMES.poll, {
  schedule: `%${BINDINGS.pollScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makePollHandler(getHostContainer),
});
