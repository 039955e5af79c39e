/** The write limiter (sliding and fixed windows) and latency, as the benchmark relies on them. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { WriteLimiter, parseWriteLimit } from '../../sim/limits/limiter.js';
import { call, errorCode, get, start } from './helpers.js';

test('sliding window: max writes per window, Retry-After until the oldest leaves', () => {
  const l = new WriteLimiter({ max: 2, windowMs: 20_000 });
  expect(l.acquire(0).ok).toBe(true);
  expect(l.acquire(5_000).ok).toBe(true);
  expect(l.acquire(6_000)).toEqual({ ok: false, retryAfterSeconds: 14 });
  expect(l.acquire(20_001).ok).toBe(true);
  expect(l.acquire(20_002)).toEqual({ ok: false, retryAfterSeconds: 5 });
});

test('fixed window resets at window boundaries; parseWriteLimit reads 100/20000', () => {
  const l = new WriteLimiter({ max: 1, windowMs: 10_000, mode: 'fixed' });
  expect(l.acquire(9_000).ok).toBe(true);
  expect(l.acquire(9_500)).toEqual({ ok: false, retryAfterSeconds: 1 });
  expect(l.acquire(10_000).ok).toBe(true);
  expect(parseWriteLimit('100/20000')).toEqual({ max: 100, windowMs: 20_000, mode: 'sliding' });
  expect(() => parseWriteLimit('100 per 20s')).toThrow();
});

let sim: Simulator;
const DP = '9a000000-0000-4000-8000-000000000001';
beforeAll(async () => {
  sim = await start({ scenario: 'demo', writeLimit: { max: 5, windowMs: 20_000 } });
});
afterAll(async () => {
  await sim.stop();
});

test('over HTTP: the 6th write in 20 s is a 429 TooManyRequests with Retry-After; reads are not limited; the window reopens', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await call(sim, 'DELETE', `/v1.0/groups/${DP}/members/0b000000-0000-4000-8000-0000000000ee/$ref`);
    statuses.push(r.status);
    if (r.status === 429) {
      expect(errorCode(r)).toBe('TooManyRequests');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    }
  }
  // A write that passes the limiter is still refused by Graph here (not a member): 404, but it used a slot.
  expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
  expect((await get(sim, '/v1.0/devices?$top=1')).status).toBe(200);
  sim.clock.advance(20_001);
  expect(
    (await call(sim, 'DELETE', `/v1.0/groups/${DP}/members/0b000000-0000-4000-8000-0000000000ee/$ref`)).status,
  ).toBe(404);
  const log = sim.requests().filter((e) => e.kind === 'write');
  expect(log.map((e) => e.status)).toEqual([404, 404, 404, 404, 404, 429, 404]);
});

test('a fixed latency applies to every Graph request, read or write (a read does its work inside it)', async () => {
  sim.setLatency(120);
  const took = async (send: () => Promise<unknown>): Promise<number> => {
    const t = Date.now();
    await send();
    return Date.now() - t;
  };
  expect(await took(() => get(sim, '/v1.0/devices?$top=1'))).toBeGreaterThanOrEqual(110);
  expect(await took(() => get(sim, '/v1.0/deviceManagement/managedDevices'))).toBeGreaterThanOrEqual(110);
  expect(await took(() => call(sim, 'POST', '/v1.0/$batch', { requests: [] }))).toBeGreaterThanOrEqual(110);
  sim.setLatency(0);
});
