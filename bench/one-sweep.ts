// One compliance sweep of a generated tenant (the bench's reads shape) in this process, against the simulator in a
// child process (1 ms per request: the profiles are of the app's work, not of waiting), with in-memory stores as the
// bench worker uses. bench:heap and bench:profile observe it through two hooks.

import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { createMemoryStores } from '../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../shared/adapters/inprocess/queue.js';
import { runComplianceSweep, type ComplianceResult } from '../shared/app/compliance/run-compliance-sweep.js';
import { buildContainer } from '../shared/composition/container.js';
import { loadConfig } from '../shared/config/index.js';
import type { LogFields, Logger } from '../shared/ports/index.js';
import { startSim, stopSim } from './children.js';
import { benchEnv, readShape, scenarioFor } from './scenarios.js';

export interface SweepHooks {
  /** Called once the sweep's detection is done (the poll's afterDetection). */
  readonly afterDetection?: () => void;
  /** Called when the sweep returns, with its result and the stores still alive. */
  readonly atEnd?: (result: ComplianceResult) => void;
}

/** Runs the sweep and returns its phase timings as it logged them (poll.finished and compliance.finished). */
export async function sweepOnce(
  size: number,
  dir: string,
  /** Overrides of benchEnv's settings (enforce, a blast radius that lets the bench's commands through). */
  env: Readonly<Record<string, string>>,
  hooks: SweepHooks,
): Promise<LogFields> {
  const scenario = path.join(dir, `reads-${size}.json`);
  writeFileSync(scenario, JSON.stringify(scenarioFor(`bench-sweep-${size}`, readShape(size))));
  const sim = await startSim(['--scenario', scenario, '--latency-ms', '1']);
  let phases: LogFields = {};
  const keep = (event: string, fields?: LogFields): void => {
    if (event === 'poll.finished' || event === 'compliance.finished') phases = { ...phases, ...fields };
  };
  const logger: Logger = { debug: () => undefined, info: keep, warn: () => undefined, error: () => undefined };
  const clock = { now: () => Date.now() };
  try {
    const c = await buildContainer(loadConfig(benchEnv(sim.url, env)), {
      logger,
      stores: createMemoryStores(),
      queue: new InProcessQueue({ clock }),
      clock,
      graph: { batchReads: true },
    });
    const options = c.complianceOptions('bench-sweep');
    const { afterDetection } = hooks;
    const result = await runComplianceSweep(c.complianceDeps(), {
      ...options,
      poll: afterDetection === undefined ? options.poll : { ...options.poll, afterDetection },
    });
    hooks.atEnd?.(result);
    await c.dispose();
    return phases;
  } finally {
    await stopSim(sim.child);
  }
}

/** `--name value` from this process's command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The phases line both tools print: every `…Ms` field the sweep logged. */
export function phasesLine(phases: LogFields): string {
  return `Phases (ms): ${Object.entries(phases)
    .filter(([k]) => k.endsWith('Ms'))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ')}`;
}
