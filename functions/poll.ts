import { app, type InvocationContext, type Timer } from '@azure/functions';

import { runPoll } from '../shared/app/poll/run-poll.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import { timerSlot } from './run-slot.js';

// Poll timer: claim the slot -> incremental poll -> log. A failed read aborts the run and is rethrown, so the
// invocation shows as failed in Application Insights (the next tick simply tries again).

export function makePollHandler(getContainer: () => Promise<Container>) {
  return async function poll(timer: Timer, context: InvocationContext): Promise<void> {
    const container = await getContainer();
    const logger = invocationLogger(context, container);
    const now = container.clock.now();
    const slot = timerSlot(FUNCTION_NAMES.poll, timer, now);
    if (!(await container.stores.runs.tryStartRun(slot, now))) {
      logger.info('poll.skipped', { slot, reason: 'this scheduled run already ran or is running' });
      return;
    }
    if (timer.isPastDue) logger.warn('poll.past-due', { slot });
    const result = await runPoll(container.pollDeps(logger), container.pollOptions('incremental', `${slot}:${context.invocationId}`));
    logger.info('poll.summary', {
      slot,
      findings: result.findings.length,
      opened: result.opened.length,
      resolved: result.resolved.length,
      commands: result.plan.commands.length,
    });
  };
}

app.timer(FUNCTION_NAMES.poll, {
  schedule: `%${BINDINGS.pollScheduleSetting}%`,
  runOnStartup: false,
  useMonitor: true,
  handler: makePollHandler(getHostContainer),
});
