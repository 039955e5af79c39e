// Where a full sweep's memory goes: one compliance sweep of a generated tenant (the bench's reads shape) against the
// simulator in a child process, a V8 heap snapshot taken when its detection is done (the poll's afterDetection: the
// run's largest live set — the snapshot, the detection indexes cached on it, the findings — which the sweep lets go
// right after), and that heap summed by kind and by the field that retains it (heap-summary.ts). Also prints the
// sweep's phases as it logged them.
//
//   npm run bench:heap [-- --size 100000] [--at detection|end] [--keep]
//
// --at end: the snapshot is taken when the sweep returns instead, with its result and the in-memory stores alive:
// what the phases after detection (lifecycle rows, decisions, queueing, proposals, report) leave behind.
//
// A heap snapshot of a 100,000-device sweep is ~300 MB of JSON, read back whole to be summed: keep --size at or
// below ~150,000 (a V8 string holds at most ~512 MB). --keep leaves the .heapsnapshot file for Chrome DevTools.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

import { createMemoryStores } from '../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../shared/adapters/inprocess/queue.js';
import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { buildContainer } from '../shared/composition/container.js';
import { loadConfig } from '../shared/config/index.js';
import type { LogFields, Logger } from '../shared/ports/index.js';
import { startSim, stopSim } from './children.js';
import { summarizeHeap, type HeapSnapshotFile } from './heap-summary.js';
import { benchEnv, readShape, scenarioFor } from './scenarios.js';

const MB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

type Moment = 'detection' | 'end';

async function sweepAndSnapshot(size: number, dir: string, at: Moment): Promise<{ file: string; phases: LogFields }> {
  const scenario = path.join(dir, `reads-${size}.json`);
  writeFileSync(scenario, JSON.stringify(scenarioFor(`bench-heap-${size}`, readShape(size))));
  const sim = await startSim(['--scenario', scenario, '--latency-ms', '1']);
  let phases: LogFields = {};
  const keep = (event: string, fields?: LogFields): void => {
    if (event === 'poll.finished' || event === 'compliance.finished') phases = { ...phases, ...fields };
  };
  const logger: Logger = { debug: () => undefined, info: keep, warn: () => undefined, error: () => undefined };
  const clock = { now: () => Date.now() };
  try {
    const c = await buildContainer(loadConfig(benchEnv(sim.url, { REMEDIATION_MODE: 'plan' })), {
      logger,
      stores: createMemoryStores(),
      queue: new InProcessQueue({ clock }),
      clock,
      graph: { batchReads: true },
    });
    const options = c.complianceOptions('heap');
    let file = '';
    const result = await runComplianceSweep(c.complianceDeps(), {
      ...options,
      poll: {
        ...options.poll,
        afterDetection: () => {
          if (at === 'detection') file = v8.writeHeapSnapshot(path.join(dir, `sweep-${size}.heapsnapshot`));
        },
      },
    });
    // At the end: what the run still holds when it returns (its result, and the in-memory stores' rows).
    if (at === 'end') file = v8.writeHeapSnapshot(path.join(dir, `sweep-${size}.heapsnapshot`));
    process.stderr.write(`heap: ${result.poll.findings.length} findings; snapshot ${file}\n`);
    await c.dispose();
    return { file, phases };
  } finally {
    await stopSim(sim.child);
  }
}

async function main(): Promise<void> {
  const size = Number(option('--size', '100000'));
  if (!Number.isInteger(size) || size < 100) throw new Error('--size: a device count ≥ 100');
  const at = option('--at', 'detection');
  if (at !== 'detection' && at !== 'end') throw new Error('--at: detection or end');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-medic-heap-'));
  try {
    const { file, phases } = await sweepAndSnapshot(size, dir, at);
    const summary = summarizeHeap(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile);
    const out = [
      `Heap of a ${size.toLocaleString('en-US')}-device compliance sweep ${at === 'end' ? 'when it returns' : 'when its detection is done'}: ${mb(summary.totalBytes)} MB in ${summary.nodes.toLocaleString('en-US')} objects.`,
      `Phases (ms): ${Object.entries(phases)
        .filter(([k]) => k.endsWith('Ms'))
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')}`,
      '',
      '| kind | MB | objects |',
      '|---|---|---|',
      ...summary.kinds.slice(0, 8).map((k) => `| ${k.kind} | ${mb(k.bytes)} | ${k.count.toLocaleString('en-US')} |`),
      '',
      '| kind | first retained via | MB | objects |',
      '|---|---|---|---|',
      ...summary.rows
        .slice(0, 25)
        .map((r) => `| ${r.kind} | ${r.via} | ${mb(r.bytes)} | ${r.count.toLocaleString('en-US')} |`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
