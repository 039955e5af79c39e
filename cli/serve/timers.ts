import functions, { type InvocationContext, type Timer } from '@azure/functions';

import { nextRuns } from '../../shared/config/ncrontab.js';
import type { ScaledClock } from './scaled-clock.js';

// The Functions app's timers without the host: each fires on its NCRONTAB schedule (the same settings the host
// reads), on serve's clock, and hands the trigger the Timer and InvocationContext the host would. Runs never overlap
// (one at a time, like a single instance), and a run that is still going when its next time comes is not doubled:
// the next time is computed when the run ends.

const { InvocationContext: Context } = functions; // see http-bridge.ts

export type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<void>;

export interface TimerSpec {
  readonly name: string;
  readonly schedule: string;
  readonly handler: TimerHandler;
}

export interface RunReport {
  readonly name: string;
  readonly startedAt: number;
  readonly ms: number;
  readonly error: string | null;
}

export interface Timers {
  /** The next scheduled time of each timer (epoch ms on serve's clock). */
  next(): ReadonlyMap<string, number>;
  /** Stop scheduling and wait for the run in progress. */
  stop(): Promise<void>;
}

export function startTimers(
  specs: readonly TimerSpec[],
  clock: ScaledClock,
  onRun: (report: RunReport) => void,
  onLog: (name: string, level: string, args: readonly unknown[]) => void,
): Timers {
  const nextAt = new Map<string, number>();
  const handles = new Set<NodeJS.Timeout>();
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let invocations = 0;

  const schedule = (spec: TimerSpec): void => {
    if (stopped) return;
    const next = Date.parse(nextRuns(spec.schedule, clock.now(), 1)[0] ?? '');
    if (Number.isNaN(next)) return;
    nextAt.set(spec.name, next);
    const handle = setTimeout(() => {
      handles.delete(handle);
      chain = chain.then(() => fire(spec, next));
    }, clock.realDelayUntil(next));
    handles.add(handle);
  };

  const fire = async (spec: TimerSpec, due: number): Promise<void> => {
    if (stopped) return;
    invocations += 1;
    const startedAt = clock.now();
    const context = new Context({
      invocationId: `serve-timer-${invocations}`,
      functionName: spec.name,
      logHandler: (level, ...args) => onLog(spec.name, level, args),
    });
    const timer: Timer = {
      isPastDue: startedAt - due > 60_000,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: new Date(due).toISOString(),
        next: new Date(due).toISOString(),
        lastUpdated: new Date(startedAt).toISOString(),
      },
    };
    let error: string | null = null;
    try {
      await spec.handler(timer, context);
    } catch (err) {
      // The host logs a failed invocation and keeps the schedule: so does serve.
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    onRun({ name: spec.name, startedAt, ms: clock.now() - startedAt, error });
    schedule(spec);
  };

  for (const spec of specs) schedule(spec);
  return {
    next: () => nextAt,
    stop: async () => {
      stopped = true;
      for (const h of handles) clearTimeout(h);
      handles.clear();
      await chain;
    },
  };
}
