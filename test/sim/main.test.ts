/** The process entry: argument parsing, the one-line banner, and a clean stop on SIGINT/SIGTERM. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parseArgs, runSimMain, type MainIo } from '../../sim/main.js';

const T1 = '11111111-aaaa-4aaa-8aaa-000000000001';
const T2 = '22222222-bbbb-4bbb-8bbb-000000000002';
const GROUP = '33333333-cccc-4ccc-8ccc-000000000003';

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

test('--tenants FILE serves several tenants, each with its own token; the banner names ids, never tokens', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sim-tenants-'));
  try {
    writeFileSync(
      path.join(dir, 'one.json'),
      JSON.stringify({ name: 'one', groups: [{ id: GROUP, displayName: 'G' }] }),
    );
    const file = path.join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { tenantId: T1, scenario: './one.json', token: 'tok-1' },
          { tenantId: T2, scenario: 'healthy', token: 'tok-2', denials: [{ path: 'groups' }] },
        ],
      }),
    );
    const opts = parseArgs(['--tenants', file]);
    expect(opts.scenario).toBeUndefined();
    const lines: string[] = [];
    const sim = await runSimMain(['--tenants', file], {
      log: (l) => lines.push(l),
      error: (l) => lines.push(`ERR ${l}`),
      onSignal: () => undefined,
      exit: () => undefined,
    });
    try {
      expect(lines).toEqual([`autopilot-medic simulator listening on ${sim?.url} for tenants ${T1}, ${T2}`]);
      expect(lines.join('\n')).not.toContain('tok-');
      const groups = async (token: string): Promise<number> =>
        (await fetch(`${sim?.url}/v1.0/groups`, { headers: { Authorization: `Bearer ${token}` } })).status;
      expect(await groups('tok-1')).toBe(200);
      expect(await groups('tok-2')).toBe(403);
      expect(await groups('tok-3')).toBe(401);
      expect(
        sim
          ?.tenantById(T1)
          .tenant.state.groups.values()
          .map((g) => g.id),
      ).toEqual([GROUP]);
    } finally {
      await sim?.stop();
    }

    writeFileSync(file, JSON.stringify({ tenants: [{ tenantId: 7, latencyMs: -1, colour: 'red' }] }));
    const bad = ((): string => {
      try {
        parseArgs(['--tenants', file]);
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const problem of ['tenants[0].tenantId', 'tenants[0].latencyMs', '"colour"']) expect(bad).toContain(problem);
    writeFileSync(file, '{not json');
    expect(() => parseArgs(['--tenants', file])).toThrow(/cannot be read as JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
