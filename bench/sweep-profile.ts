// Where a full sweep's CPU time or allocations go: one compliance sweep (bench/one-sweep.ts) under the inspector's
// sampling CPU profiler (`--kind cpu`, what `node --cpu-prof` records) or its sampling heap profiler (`--kind alloc`,
// what `node --heap-prof` records, here counting the objects the collector has freed too, so it shows what the
// phases allocate rather than what survives them), summed by the part of the app that spent it
// (profile-summary.ts).
//
//   npm run bench:profile [-- --size 100000] [--kind cpu|alloc] [--from start|detection] [--keep]
//
// --from detection starts the profiler when the sweep's detection is done (the phases after it). --keep writes the
// raw profile (.cpuprofile / .heapprofile, for Chrome DevTools) to the temporary folder and leaves it there.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';

import { option, phasesLine, sweepOnce } from './one-sweep.js';
import {
  summarizeCpuProfile,
  summarizeHeapSampling,
  type CpuProfile,
  type ProfileSummary,
  type SamplingHeapNode,
} from './profile-summary.js';

type Kind = 'cpu' | 'alloc';

/** The CPU profiler's sampling interval, µs (V8's default is 1,000: too coarse for a sweep of a few seconds). */
const CPU_INTERVAL_US = 500;
/** The heap profiler's mean bytes between samples (V8's default, 32 KB, halved). */
const ALLOC_INTERVAL_BYTES = 16_384;

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

function render(kind: Kind, size: number, from: string, phases: string, s: ProfileSummary): string {
  const unit = kind === 'cpu' ? 'ms' : 'MB';
  const amount = (v: number): string => (kind === 'cpu' ? (v / 1000).toFixed(0) : (v / 1024 / 1024).toFixed(1));
  const share = (v: number): string => `${((100 * v) / Math.max(1, s.total)).toFixed(1)} %`;
  const what = kind === 'cpu' ? 'CPU time (idle excluded)' : 'bytes allocated, collected or not';
  return [
    `${kind === 'cpu' ? 'CPU profile' : 'Allocation profile'} of a ${size.toLocaleString('en-US')}-device compliance sweep, ${from === 'start' ? 'whole' : 'from the end of its detection'}: ${amount(s.total)} ${unit} of ${what}${kind === 'cpu' ? `; idle ${amount(s.idle)} ms` : ''}.`,
    phases,
    '',
    `| where (nearest app frame) | ${unit} | share |`,
    '|---|---|---|',
    ...s.areas.map((a) => `| ${a.label} | ${amount(a.amount)} | ${share(a.amount)} |`),
    '',
    `| function (self) | called from | ${unit} | share |`,
    '|---|---|---|---|',
    ...s.functions.map((f) => `| ${f.label} | ${f.via ?? ''} | ${amount(f.amount)} | ${share(f.amount)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const size = Number(option('--size', '100000'));
  if (!Number.isInteger(size) || size < 100) throw new Error('--size: a device count ≥ 100');
  const kind = option('--kind', 'cpu');
  if (kind !== 'cpu' && kind !== 'alloc') throw new Error('--kind: cpu or alloc');
  const from = option('--from', 'start');
  if (from !== 'start' && from !== 'detection') throw new Error('--from: start or detection');

  const session = new inspector.Session();
  session.connect();
  // Posted without waiting for the answers, in order: afterDetection is synchronous, and an in-process session
  // handles each message as it is posted, so the profiler runs before the sweep's next statement.
  const failures: Error[] = [];
  const send = (method: string, params?: object): void =>
    session.post(method, params, (err) => {
      if (err) failures.push(err);
    });
  let started = false;
  const start = (): void => {
    started = true;
    if (kind === 'cpu') {
      send('Profiler.enable');
      send('Profiler.setSamplingInterval', { interval: CPU_INTERVAL_US });
      send('Profiler.start');
    } else {
      send('HeapProfiler.startSampling', {
        samplingInterval: ALLOC_INTERVAL_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
  };
  if (from === 'start') start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-medic-profile-'));
  try {
    const phases = await sweepOnce(
      size,
      dir,
      {},
      {
        afterDetection: () => {
          if (!started) start();
        },
      },
    );
    const failed = failures[0];
    if (failed !== undefined) throw failed;
    let summary: ProfileSummary;
    let raw: unknown;
    if (kind === 'cpu') {
      const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
      raw = profile;
      summary = summarizeCpuProfile(profile);
    } else {
      const { profile } = await post<{ profile: { head: SamplingHeapNode } }>(session, 'HeapProfiler.stopSampling');
      raw = profile;
      summary = summarizeHeapSampling(profile.head);
    }
    process.stdout.write(`${render(kind, size, from, phasesLine(phases), summary)}\n`);
    if (process.argv.includes('--keep')) {
      const file = path.join(dir, `sweep-${size}.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`);
      writeFileSync(file, JSON.stringify(raw));
      process.stderr.write(`profile: ${file}\n`);
    }
  } finally {
    session.disconnect();
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
