import { runPoll } from '../../shared/app/poll/run-poll.js';
import { executeRemediation } from '../../shared/app/remediation/index.js';
import { bool, type CommandSpec, type ParsedFlags, str } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progressReporter } from '../output/progress.js';
import { sweepText } from '../output/sweep-text.js';
import { sweepView, type ActionRecord } from '../output/sweep-view.js';
import { openSession, type StopSignal } from '../session.js';

export const sweepSpec: CommandSpec = {
  name: 'sweep',
  summary:
    'One full cycle: poll Graph, detect, decide, remediate (in-process queue), record, alert.\n' +
    'With no Graph endpoint or credentials configured it runs against the built-in simulator (demo scenario) and an in-memory Azurite.',
  flags: {
    plan: { type: 'boolean', help: 'plan mode for every action: record what would be done, write nothing to the tenant' },
    json: { type: 'boolean', help: 'print the machine-readable result (findings, decisions, actions, deferrals) to stdout' },
    scenario: { type: 'string', value: 'NAME|FILE', help: 'simulator scenario for the embedded default (default: demo)' },
    verbose: { type: 'boolean', help: 'structured debug logs on stderr' },
  },
};

export async function sweepCommand(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>, stop: StopSignal): Promise<number> {
  const progress = progressReporter();
  const session = await openSession({
    env,
    verbose: bool(flags, 'verbose'),
    ...(str(flags, 'scenario') ? { scenario: str(flags, 'scenario') } : {}),
    ...(progress.onProgress && !bool(flags, 'json') ? { onProgress: progress.onProgress } : {}),
  });
  try {
    const { container, queue } = session;
    const plan = bool(flags, 'plan');
    const runId = `cli-${new Date(container.clock.now()).toISOString().replace(/[:.]/g, '')}`;
    const poll = await runPoll(container.pollDeps(), container.pollOptions('full', runId, plan));
    progress.done();

    const actions: ActionRecord[] = [];
    const deps = container.remediationDeps();
    queue.setHandler(async (command) => {
      // Ctrl-C: commands not yet started stay unstarted (no claim, no write, no half-written record).
      if (stop.stopRequested) return null;
      const outcome = await executeRemediation(command, deps);
      actions.push({ command, outcome });
      return outcome;
    });
    // Scheduled messages (a deferred sync) stay in the queue: in Azure, Service Bus delivers them later.
    await queue.drain({ waitForScheduled: false });
    const view = sweepView(poll, actions, queue.pending, { plan, scenario: session.embedded?.scenario ?? null });
    process.stdout.write(bool(flags, 'json') ? `${JSON.stringify(view, null, 2)}\n` : `${sweepText(view)}\n`);
    return stop.stopRequested ? 130 : EXIT.ok;
  } finally {
    progress.done();
    await session.close();
  }
}
