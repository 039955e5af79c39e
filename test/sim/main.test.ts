/** The process entry: argument parsing, the one-line banner, and a clean stop on SIGINT/SIGTERM. */
import { expect, test } from 'vitest';
import { parseArgs, runSimMain, type MainIo } from '../../sim/main.js';

test('parseArgs reads every option, with defaults', () => {
  expect(parseArgs([])).toEqual({ scenario: 'demo', port: 0 });
  expect(
    parseArgs([
      '--scenario',
      'large',
      '--port=4010',
      '--token',
      't',
      '--latency-ms',
      '5',
      '--write-limit',
      '100/20000',
      '--sync-duration-ms',
      '1000',
    ]),
  ).toEqual({
    scenario: 'large',
    port: 4010,
    token: 't',
    latencyMs: 5,
    writeLimit: { max: 100, windowMs: 20_000, mode: 'sliding' },
    syncDurationMs: 1000,
  });
  expect(() => parseArgs(['--frobnicate', '1'])).toThrow(/unknown option/);
  expect(() => parseArgs(['--port'])).toThrow(/needs a value/);
  expect(() => parseArgs(['--port', '-3'])).toThrow(/non-negative/);
});

test('runSimMain prints the listening line, serves Graph and stops on SIGTERM', async () => {
  const lines: string[] = [];
  const handlers = new Map<string, () => void>();
  let exitCode: number | null = null;
  let exited: () => void = () => undefined;
  const done = new Promise<void>((r) => {
    exited = r;
  });
  const io: MainIo = {
    log: (l) => lines.push(l),
    error: (l) => lines.push(`ERR ${l}`),
    onSignal: (s, h) => handlers.set(s, h),
    exit: (c) => {
      exitCode = c;
      exited();
    },
  };
  const sim = await runSimMain(['--scenario', 'healthy', '--token', 'tok'], io);
  expect(lines).toEqual([`autopilot-medic simulator listening on ${sim?.url}`]);
  expect(lines[0]).toMatch(/^autopilot-medic simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
  const r = await fetch(`${sim?.url}/v1.0/groups`, { headers: { Authorization: 'Bearer tok' } });
  expect(r.status).toBe(200);
  expect([...handlers.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
  handlers.get('SIGTERM')?.();
  await done;
  expect(exitCode).toBe(0);
  await expect(fetch(`${sim?.url}/v1.0/groups`)).rejects.toThrow();
});

test('--help prints usage and starts nothing', async () => {
  const lines: string[] = [];
  const io: MainIo = {
    log: (l) => lines.push(l),
    error: () => undefined,
    onSignal: () => undefined,
    exit: () => undefined,
  };
  expect(await runSimMain(['--help'], io)).toBeNull();
  expect(lines[0]).toMatch(/^usage:/);
});
