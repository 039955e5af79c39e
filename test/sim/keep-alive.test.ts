/**
 * The simulator keeps a client's connection between requests, as Graph does. Node's fetch (undici) takes a second
 * off a server's `Keep-Alive: timeout=N` hint for timing slack (its keepAliveTimeoutThreshold), so a hint of 1 s, which
 * the simulator sent before, left it a keep-alive of 0: every request of a sweep opened a new connection.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { get, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

test('the Keep-Alive hint leaves fetch more than a second to reuse the connection', async () => {
  const reply = await get(sim, '/v1.0/devices?$top=1');
  expect(reply.status).toBe(200);
  const hint = /timeout=(\d+)/.exec(reply.headers.get('keep-alive') ?? '');
  expect(hint).not.toBeNull();
  expect(Number(hint?.[1])).toBeGreaterThanOrEqual(2);
});
