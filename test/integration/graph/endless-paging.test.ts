import { afterEach, describe, expect, it } from 'vitest';

import { createGraphAdapters, type GraphAdapterConfig } from '../../../shared/adapters/graph/index.js';
import { MAX_EMPTY_PAGES_IN_A_ROW, pagesForCount } from '../../../shared/adapters/graph/page-bounds.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../../../shared/adapters/inprocess/queue.js';
import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { buildContainer } from '../../../shared/composition/container.js';
import { loadConfig } from '../../../shared/config/index.js';
import { type Logger, TruncatedReadError } from '../../../shared/ports/index.js';
import { startSimulator } from '../../../sim/index.js';
import { drain } from './sim-harness.js';
import { type Loopback, pause, startLoopback } from './loopback-server.js';

// Issue 13.3: a service that answers every page with a fresh @odata.nextLink made a poll send 67,000 requests in
// 60 s. Each list read is now bounded by a page ceiling (from the @odata.count it asked for, else GRAPH_MAX_PAGES),
// by a few empty pages in a row, and by a deadline; each ends as a TruncatedReadError. The loopback services below
// stop paging after CAP requests, so code without the bounds finishes (wrongly, with a "complete" list) instead
// of hanging the suite.

const CAP = 150;
let server: Loopback | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

function adapters(url: string, extra: Partial<GraphAdapterConfig> = {}) {
  return createGraphAdapters({
    baseUrl: url,
    auth: { kind: 'static-token', token: 'loopback-token' },
    isMicrosoftGraph: false,
    maxRetries: 0,
    ...extra,
  });
}

/** A list whose every page (until CAP) links to a page that was never seen before. */
async function endlessList(
  page: (n: number) => { value: unknown[]; count?: number; delayMs?: number },
): Promise<Loopback> {
  return startLoopback((req, n, self) => {
    const p = page(n);
    const path = req.url.split('?')[0] ?? '';
    return {
      delayMs: p.delayMs ?? 0,
      body: {
        ...(p.count !== undefined ? { '@odata.count': p.count } : {}),
        ...(n < CAP ? { '@odata.nextLink': `${self.url}${path}?$skiptoken=rotating-${n}` } : {}),
        value: p.value,
      },
    };
  });
}

const managedDevice = (n: number, i: number) => ({ id: `md-${n}-${i}`, deviceName: `PC-${n}-${i}` });

describe('endless paging (loopback service with a rotating nextLink)', () => {
  it(`stops after ${MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row that still carry a nextLink`, async () => {
    server = await endlessList(() => ({ value: [] }));
    const started = performance.now();
    const err = await drain(adapters(server.url).autopilot.listEvents({ since: 0 })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect((err as TruncatedReadError).message).toMatch(/empty pages in a row/);
    expect(server.requests).toHaveLength(MAX_EMPTY_PAGES_IN_A_ROW);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('with the @odata.count it asked for, stops at the pages that count needs (plus slack)', async () => {
    // Autopilot Entra devices are read with $count=true; the service says 4 devices, then pages forever.
    server = await endlessList((n) => ({
      count: 4,
      value: [0, 1].map((i) => ({ id: `dev-${n}-${i}`, deviceId: null })),
    }));
    const err = await drain(adapters(server.url).directory.listAutopilotEntraDevices()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect((err as TruncatedReadError).message).toMatch(/@odata\.count/);
    expect(server.requests[0]?.url).toContain('$count=true');
    expect(server.requests).toHaveLength(pagesForCount(4, 2));
  });

  it('without a count it asked for, stops at GRAPH_MAX_PAGES', async () => {
    server = await endlessList((n) => ({ value: [managedDevice(n, 0)] }));
    const err = await drain(adapters(server.url, { maxPages: 20 }).directory.listManagedDevices()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect((err as TruncatedReadError).message).toMatch(/GRAPH_MAX_PAGES = 20/);
    expect(server.requests).toHaveLength(20);
  });

  it('an @odata.count nobody asked for (Intune sends one per page) sets no ceiling: an honest long list is read whole', async () => {
    const pages = 12;
    server = await startLoopback((_req, n, self) => ({
      body: {
        '@odata.count': 2,
        ...(n < pages ? { '@odata.nextLink': `${self.url}/beta/deviceManagement/managedDevices?$skiptoken=${n}` } : {}),
        value: [managedDevice(n, 0), managedDevice(n, 1)],
      },
    }));
    const { items } = await drain(adapters(server.url).directory.listManagedDevices());
    expect(items).toHaveLength(pages * 2);
    expect(server.requests).toHaveLength(pages);
  });

  it('stops at the read deadline (GRAPH_READ_DEADLINE_SECONDS), in bounded time, and sends nothing after', async () => {
    // Slow, non-empty pages: no page bound trips; only the deadline does.
    server = await endlessList((n) => ({ value: [managedDevice(n, 0)], delayMs: 100 }));
    const started = performance.now();
    const err = await drain(adapters(server.url, { readDeadlineMs: 700 }).directory.listManagedDevices()).then(
      () => null,
      (e: unknown) => e,
    );
    const took = performance.now() - started;
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect((err as TruncatedReadError).message).toMatch(/deadline/);
    expect(took).toBeGreaterThanOrEqual(650);
    expect(took).toBeLessThan(1_500);
    const sent = server.requests.length;
    expect(sent).toBeLessThanOrEqual(10);
    await pause(300);
    expect(server.requests).toHaveLength(sent);
  });
});

describe('an incremental poll against a service whose events list never ends', () => {
  it('aborts with TruncatedReadError after a bounded number of requests and time, deciding and writing nothing', async () => {
    const sim = await startSimulator({ scenario: 'demo', port: 0 });
    let eventsPages = 0;
    const endlessEvents = (self: Loopback) => {
      eventsPages++;
      return {
        value: [],
        ...(eventsPages < CAP
          ? {
              '@odata.nextLink': `${self.url}/beta/deviceManagement/autopilotEvents?$skiptoken=rotating-${eventsPages}`,
            }
          : {}),
      };
    };
    // Everything is the simulator's answer, except the events list (alone or inside a $batch): empty pages, each
    // naming a new next page.
    const proxy = await startLoopback(async (req, _n, self) => {
      if (req.method === 'GET' && req.url.startsWith('/beta/deviceManagement/autopilotEvents'))
        return { body: endlessEvents(self) };
      const res = await fetch(`${sim.url}${req.url}`, {
        method: req.method,
        headers: {
          authorization: String(req.headers.authorization ?? ''),
          'content-type': 'application/json',
          ...pick(req.headers, 'consistencylevel'),
        },
        ...(req.body ? { body: req.body } : {}),
      });
      const text = await res.text();
      if (!req.url.endsWith('/$batch') || !res.ok)
        return {
          status: res.status,
          body: text,
          headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' },
        };
      const sent = JSON.parse(req.body) as { requests: { id: string; url: string }[] };
      const answered = JSON.parse(text) as { responses: { id: string; status: number; body?: unknown }[] };
      for (const item of answered.responses) {
        const url = sent.requests.find((r) => r.id === item.id)?.url ?? '';
        if (url.startsWith('/deviceManagement/autopilotEvents'))
          Object.assign(item, { status: 200, body: endlessEvents(self) });
      }
      return { body: answered };
    });
    const config = loadConfig({
      GRAPH_BASE_URL: proxy.url,
      GRAPH_TOKEN: sim.token,
      TENANT_NAME: 'endless',
      DEVICE_PREP_GROUPS: JSON.stringify([
        {
          groupId: '9a000000-0000-4000-8000-000000000001',
          policyName: 'Contoso Win11 device preparation',
          policyId: '7a000000-0000-4000-8000-000000000001',
        },
      ]),
      REMEDIATION_MODE: 'enforce',
    });
    const stores = createMemoryStores();
    const queue = new InProcessQueue({ clock: { now: () => Date.now() } });
    const container = await buildContainer(config, { logger: silentLogger, stores, queue });
    try {
      const started = performance.now();
      const err = await runPoll(container.pollDeps(), container.pollOptions('incremental', 'endless-1')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TruncatedReadError);
      expect((err as TruncatedReadError).collection).toBe('autopilotEvents');
      expect(eventsPages).toBe(MAX_EMPTY_PAGES_IN_A_ROW);
      // A quiet poll of this tenant is a handful of requests; the endless list adds its 3 pages, nothing more.
      expect(proxy.requests.length).toBeLessThanOrEqual(6 + MAX_EMPTY_PAGES_IN_A_ROW);
      expect(performance.now() - started).toBeLessThan(5_000);
      // Nothing decided on the partial picture: no finding, no history row, no command, no tenant write.
      expect(await stores.findings.listOpen()).toEqual([]);
      expect((await stores.history.query({ limit: 10, continuationToken: null })).items).toEqual([]);
      expect(queue.pending).toEqual([]);
      expect(sim.requests().filter((r) => r.kind === 'write' && !r.path.includes('/reports/exportJobs'))).toEqual([]);
    } finally {
      await container.dispose();
      await proxy.stop();
      await sim.stop();
    }
  });
});

function pick(headers: Record<string, string | string[] | undefined>, name: string): Record<string, string> {
  const v = headers[name];
  return typeof v === 'string' ? { [name]: v } : {};
}

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
