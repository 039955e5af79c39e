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

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

import { summarizeHeap, type HeapSnapshotFile } from './heap-summary.js';
import { option, phasesLine, sweepOnce } from './one-sweep.js';

const MB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

type Moment = 'detection' | 'end';

async function sweepAndSnapshot(size: number, dir: string, at: Moment): Promise<{ file: string; phases: string }> {
  let file = '';
  const snapshot = (): void => {
    file = v8.writeHeapSnapshot(path.join(dir, `sweep-${size}.heapsnapshot`));
  };
  const phases = await sweepOnce(
    size,
    dir,
    { REMEDIATION_MODE: 'plan' },
    {
      afterDetection: at === 'detection' ? snapshot : undefined,
      // At the end: what the run still holds when it returns (its result, and the in-memory stores' rows).
      atEnd: (result) => {
        if (at === 'end') snapshot();
        process.stderr.write(`heap: ${result.poll.findings.length} findings; snapshot ${file}\n`);
      },
    },
  );
  return { file, phases: phasesLine(phases) };
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
      phases,
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
