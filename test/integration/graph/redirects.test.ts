import { afterEach, describe, expect, it } from 'vitest';

import { createGraphAdapters, type GraphAdapterOptions } from '../../../shared/adapters/graph/index.js';
import { PermanentError } from '../../../shared/ports/index.js';
import { drain } from './sim-harness.js';
import { type Loopback, startLoopback } from './loopback-server.js';

// Issue 13.8: Graph requests followed redirects. The adapter checks a URL's origin before sending the token to it;
// a 302 would take the request (and, with some HTTP stacks, the token) to wherever Location points. Every fetch the
// adapter makes now refuses redirects: the other server (another loopback port here) is never contacted, and the
// refusal is a PermanentError (not retried: the same request gets the same answer).

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(handler: Parameters<typeof startLoopback>[0]): Promise<Loopback> {
  const s = await startLoopback(handler);
  servers.push(s);
  return s;
}

/** Where the redirects point: any request reaching it is the failure. */
async function elsewhere(): Promise<Loopback> {
  return start(() => ({ body: { syncStatus: 'completed', value: [] } }));
}

function adapters(url: string, opts: GraphAdapterOptions = {}) {
  return createGraphAdapters(
    {
      baseUrl: url,
      auth: { kind: 'static-token', token: 'redirect-test-token' },
      isMicrosoftGraph: false,
      maxRetries: 3,
    },
    opts,
  );
}

const outcome = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('Graph requests never follow a redirect', () => {
  it('reads, lists and writes: a 302 to another port is refused, not retried, and that port is never contacted', async () => {
    const other = await elsewhere();
    const graph = await start((req) => ({ status: 302, headers: { location: `${other.url}${req.url}` } }));
    const g = adapters(graph.url);
    const results = [
      await outcome(g.autopilot.getSettings()),
      await outcome(drain(g.directory.listManagedDevices())),
      await outcome(g.actions.allowNextEnrollment('2b0b6f0e-0000-4000-8000-000000000001')),
    ];
    for (const err of results) {
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as Error).message).toMatch(/redirect/);
    }
    expect(graph.requests).toHaveLength(3);
    expect(other.requests).toEqual([]);
  });

  it('reads folded into a $batch: the envelope and each read on its own are refused', async () => {
    const other = await elsewhere();
    const graph = await start((req) => ({ status: 307, headers: { location: `${other.url}${req.url}` } }));
    const g = adapters(graph.url, { batchReads: true });
    const results = await Promise.all([
      outcome(g.directory.getGroup('6f1c0000-0000-4000-8000-000000000001')),
      outcome(g.directory.getGroup('6f1c0000-0000-4000-8000-000000000002')),
    ]);
    for (const err of results) expect(err).toBeInstanceOf(PermanentError);
    expect(graph.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`).sort()).toEqual([
      'GET /v1.0/groups/6f1c0000-0000-4000-8000-000000000001',
      'GET /v1.0/groups/6f1c0000-0000-4000-8000-000000000002',
      'POST /v1.0/$batch',
    ]);
    expect(other.requests).toEqual([]);
  });

  it('the report download (a pre-signed URL, fetched without the token) is not redirected either', async () => {
    const other = await elsewhere();
    const graph = await start((req, _n, self) => {
      if (req.method === 'POST')
        return {
          status: 201,
          body: { id: 'job-1', status: 'completed', url: `${self.url}/download/report.zip?sig=abc` },
        };
      return { status: 302, headers: { location: `${other.url}/report.zip` } };
    });
    const err = await outcome(adapters(graph.url).autopilot.exportDevicePrepDeployments());
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/redirect/);
    expect(graph.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(other.requests).toEqual([]);
  });
});
