import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { matchRoute, type Route } from '../../../cli/serve/http-bridge.js';
import { scaledClock } from '../../../cli/serve/scaled-clock.js';
import { loadAppTriggers } from '../../../cli/serve/functions.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { silentLogger } from '../../../shared/adapters/logging/loggers.js';
import { buildContainer } from '../../../shared/composition/container.js';
import { loadConfig } from '../../../shared/config/index.js';

// Issue 19: `serve` is the Functions app without the host, so it must serve exactly the routes and timers the app
// registers: read from the trigger modules' own registrations, not from a second list someone must keep in step.

const FUNCTIONS = resolve(import.meta.dirname, '../../../functions');

function registeredHttpRoutes(): { route: string; methods: string[] }[] {
  return readdirSync(FUNCTIONS)
    .filter((f) => f.startsWith('http-') && f.endsWith('.ts') && f !== 'http-common.ts')
    .map((f) => {
      const source = readFileSync(join(FUNCTIONS, f), 'utf8');
      const route = /route: '([^']+)'/.exec(source)?.[1] ?? `(no route in ${f})`;
      const methods = [...(/methods: \[([^\]]+)\]/.exec(source)?.[1] ?? '').matchAll(/'([A-Z]+)'/g)].map((m) => m[1]!);
      return { route, methods };
    });
}

describe('serve', () => {
  it('serves every HTTP route and timer of the Functions app, with the same methods and schedules', async () => {
    const config = loadConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
      GRAPH_TOKEN: 'unused',
      GRAPH_AUTH: 'static-token',
      TENANT_NAME: 't',
      POLL_SCHEDULE: '0 */7 * * * *',
    });
    const container = await buildContainer(config, { logger: silentLogger, stores: createMemoryStores() });
    try {
      const triggers = await loadAppTriggers(container);
      const served = triggers.routes.map((r) => ({ route: r.route, methods: [...r.methods] }));
      expect(served.sort((a, b) => a.route.localeCompare(b.route))).toEqual(
        registeredHttpRoutes().sort((a, b) => a.route.localeCompare(b.route)),
      );
      expect(triggers.timers.map((t) => [t.name, t.schedule])).toEqual([
        ['poll', '0 */7 * * * *'],
        ['complianceSweep', config.env.COMPLIANCE_SCHEDULE],
      ]);
    } finally {
      await container.dispose();
    }
  });

  it('matches /api/ paths to routes, decoding parameters; anything else is no route', () => {
    const handler = () => Promise.resolve({});
    const routes: Route[] = [
      { name: 'device', methods: ['GET'], route: 'devices/{key}', handler },
      { name: 'report', methods: ['GET'], route: 'report/latest', handler },
    ];
    expect(matchRoute(routes, '/api/devices/SN%2F1')).toMatchObject({
      route: { name: 'device' },
      params: { key: 'SN/1' },
    });
    expect(matchRoute(routes, '/api/report/latest')?.route.name).toBe('report');
    for (const miss of ['/api/devices/', '/api/devices/a/b', '/devices/x', '/api/report', '/api/devices/%E0%A4%A'])
      expect(matchRoute(routes, miss), miss).toBeNull();
  });

  it('a scaled clock runs N times faster from its start, and converts due times to real delays', () => {
    let real = 1_000_000;
    const clock = scaledClock(60, {}, () => real);
    real += 1_000;
    expect(clock.now()).toBe(1_000_000 + 60_000);
    expect(clock.realDelayUntil(1_000_000 + 120_000)).toBe(1_000);
    expect(clock.realDelayUntil(0)).toBe(0);
  });
});
