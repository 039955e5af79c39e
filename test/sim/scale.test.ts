/** 100,000 devices: load time and heap, and a full identity walk. Figures are printed for the report. */
import { afterAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { get, obj, start, values } from './helpers.js';

let sim: Simulator | undefined;
afterAll(async () => {
  await sim?.stop();
});

test('100,000 devices load in well under 20 s and a full walk of every identity works', async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  sim = await start({
    scenario: {
      generate: {
        devices: 100_000,
        seed: 7,
        plant: {
          blocked: 40,
          notAssigned: 300,
          stale: 200,
          orphanedNoEntra: 20,
          noncompliant: 150,
          deviceprepMissingFromGroup: 50,
          failedDeployments: 30,
        },
      },
    },
  });
  const loadMs = performance.now() - t0;
  const heapLoaded = process.memoryUsage().heapUsed;

  // Index lookups (built lazily on first use) and a complete page walk, keeping nothing client-side.
  const t1 = performance.now();
  const lookup = await get(
    sim,
    `/v1.0/devices?$filter=${encodeURIComponent("deviceId eq 'e0000007-0000-4000-8000-000000012345'")}`,
  );
  expect(values(lookup)).toHaveLength(1);
  let count = 0;
  let next: string | undefined =
    '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$select=id,serialNumber,enrollmentState';
  while (next) {
    const r = await get(sim, next);
    count += values(r).length;
    const link = obj(r.body)['@odata.nextLink'];
    next = typeof link === 'string' ? link : undefined;
  }
  const walkMs = performance.now() - t1;
  const heapAfter = process.memoryUsage().heapUsed;
  const rssMb = process.memoryUsage().rss / 1e6;
  console.log(
    `100k: load ${loadMs.toFixed(0)} ms, heap +${((heapLoaded - heapBefore) / 1e6).toFixed(1)} MB after load, ` +
      `+${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB after lookup+walk (${walkMs.toFixed(0)} ms), rss ${rssMb.toFixed(0)} MB`,
  );

  expect(count).toBe(100_000);
  expect(loadMs).toBeLessThan(20_000);
  expect((heapLoaded - heapBefore) / 1e6).toBeLessThan(100);
  expect(rssMb).toBeLessThan(400);
  expect(sim.planted.counts['blocked']).toBe(40);
}, 120_000);
