import { runPoll } from '../../shared/app/poll/run-poll.js';
import { bool, str, type CommandSpec, type ParsedFlags } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { parseFailOn, remainingAtOrAbove } from '../fail-on.js';
import { progressReporter } from '../output/progress.js';
import { sweepText } from '../output/sweep-text.js';
import { sweepView, type ActionRecord } from '../output/sweep-view.js';
import { terminalJson, terminalText as oneLine } from '../output/terminal.js';
import { openCliSession, SESSION_FLAGS, type StopSignal } from '../session.js';

export const sweepSpec: CommandSpec = {
  name: 'sweep',
  summary:
    'One full cycle: poll Graph, detect, decide, remediate (in-process queue), record, alert.\n' +
    'With no Graph endpoint or credentials configured it runs against the built-in simulator (demo scenario); with no\n' +
    'storage configured it keeps its tables (and the simulated tenant) in the data folder (DATA_DIR, ./.autopilot-medic/).',
  flags: {
    ...SESSION_FLAGS,
    json: {
      type: 'boolean',
      help: 'print the machine-readable result (findings, decisions, actions, deferrals) to stdout',
    },
    'fail-on': {
      type: 'string',
      value: 'SEVERITY',
      help: 'exit 3 when findings at or above SEVERITY (info, warning, error, critical) remain unfixed after the run',
    },
  },
};

export async function sweepCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  stop: StopSignal,
): Promise<number> {
  // A bad --fail-on is a usage error before anything starts.
  const failOn = parseFailOn(str(flags, 'fail-on'));
  const progress = progressReporter();
  const session = await openCliSession('sweep', flags, env, progress);
  try {
    const { container, queue } = session;
    const plan = bool(flags, 'plan');
    const runId = `cli-${new Date(container.clock.now()).toISOString().replace(/[:.]/g, '')}`;
    const poll = await runPoll(container.pollDeps(), container.pollOptions('full', runId, plan));
    progress.done();

    // Scheduled messages (a deferred sync) stay in the queue: in Azure, Service Bus delivers them later.
    const actions: ActionRecord[] = await container.drainLocally({ shouldStop: () => stop.stopRequested });
    const deadLettered = queue.deadLetters;
    const view = sweepView(poll, actions, queue.pending, {
      plan,
      scenario: session.embedded?.scenario ?? null,
      deadLettered,
    });
    process.stdout.write(bool(flags, 'json') ? `${terminalJson(view, 2)}\n` : `${sweepText(view)}\n`);
    if (deadLettered.length > 0) {
      // A command that never completed is a failed run, whatever else went well: say which and why on stderr too.
      for (const d of deadLettered) {
        process.stderr.write(
          `Remediation failed: ${oneLine(d.command.action)} ${oneLine(d.command.idempotencyKey)} dead-lettered after ${d.deliveryCount} deliveries (${oneLine(d.reason)}): ${oneLine(d.description)}\n`,
        );
      }
      return EXIT.aborted;
    }
    if (stop.stopRequested) return 130;
    if (failOn !== null) {
      const remaining = remainingAtOrAbove(poll.findings, actions, failOn, poll.plan.decisions);
      if (remaining.length > 0) {
        process.stderr.write(
          `--fail-on ${failOn}: ${remaining.length} finding(s) at or above ${failOn} remain unfixed\n`,
        );
        return EXIT.findingsRemain;
      }
    }
    return EXIT.ok;
  } finally {
    progress.done();
    await session.close();
  }
}
