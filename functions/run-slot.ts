import type { InvocationContext, Timer } from '@azure/functions';

import type { Container } from '../shared/composition/container.js';
import { invocationLogger } from '../shared/composition/host.js';
import { figuresLine, runRecord } from '../shared/app/history/run-records.js';
import { ensureError, type Logger } from '../shared/ports/index.js';

/**
 * The slot a timer invocation stands for: the minute it was scheduled for (the invocation time floored to
 * the minute, since `Timer` does not carry this occurrence's own time). runOnStartup, a second instance or a
 * past-due retry in the same minute map to the same slot, and the runs table lets only one of them run.
 */
export function timerSlot(name: string, timer: Timer, nowMs: number): string {
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  return `${name}:${new Date(minute).toISOString()}${timer.isPastDue ? ':pastdue' : ''}`;
}

export interface TimerRun {
  readonly slot: string;
  readonly runId: string;
  readonly logger: Logger;
  readonly name: string;
  readonly startedAt: number;
}

/** Claim this invocation's slot; null (and a log line) when the scheduled run already ran or is running. */
export async function claimTimerRun(
  container: Container,
  name: string,
  timer: Timer,
  context: InvocationContext,
): Promise<TimerRun | null> {
  const logger = invocationLogger(context, container);
  const now = container.clock.now();
  const slot = timerSlot(name, timer, now);
  if (!(await container.stores.runs.tryStartRun(slot, now))) {
    logger.info(`${name}.skipped`, { slot, reason: 'this scheduled run already ran or is running' });
    return null;
  }
  if (timer.isPastDue) logger.warn(`${name}.past-due`, { slot });
  return { slot, runId: `${slot}:${context.invocationId}`, logger, name, startedAt: now };
}

/**
 * Run the body, then log its figures (`<name>.summary`) and leave the run's row in history (see run-records.ts).
 * An aborted run leaves its row too, with the reason, and is rethrown so the invocation shows as failed.
 */
export async function reportingRun(
  container: Container,
  run: TimerRun,
  body: () => Promise<Readonly<Record<string, number | string>>>,
): Promise<void> {
  const record = (status: 'completed' | 'aborted', summary: string) =>
    container.stores.history.append([
      runRecord({
        runId: run.runId,
        name: run.name,
        startedAt: run.startedAt,
        finishedAt: container.clock.now(),
        status,
        summary,
      }),
    ]);
  let figures: Readonly<Record<string, number | string>>;
  try {
    figures = await body();
  } catch (err) {
    await record('aborted', ensureError(err).message).catch((e: unknown) =>
      run.logger.warn(`${run.name}.run-record-failed`, { reason: ensureError(e).message }),
    );
    throw err;
  }
  run.logger.info(`${run.name}.summary`, { slot: run.slot, ...figures });
  await record('completed', figuresLine(figures));
}
