import { afterEach, describe, expect, it } from 'vitest';
import { createGraphAdapters } from '../../../shared/adapters/graph/index.js';
import { type Loopback, startLoopback } from './loopback-server.js';

// GraphHttp.attempt() awaits tokens.getToken() with no signal and no bound, inside the concurrency
// gate, before the per-attempt timeout exists. A slow token endpoint (Entra ID degraded, azure-core's own retries of
// a 5xx from login.microsoftonline.com, an IMDS/identity endpoint that stalls) therefore holds the read past the run's
// abort and past the read deadline: GraphCall.signal promises "once it fires, the request in flight is cancelled …
// the call rejects with the signal's reason", but the wait for the token is not cancelled.

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const TOKEN_DELAY_MS = 4_000;

describe('the wait for a token', () => {
  it("ends when the run's signal aborts", async () => {
    const graph = await startLoopback(() => ({ body: { syncStatus: 'completed' } }));
    servers.push(graph);
    const timers: NodeJS.Timeout[] = [];
    const g = createGraphAdapters(
      { baseUrl: graph.url, auth: { kind: 'static-token', token: 'unused-static-token' }, isMicrosoftGraph: false },
      {
        // A token endpoint that answers, but late.
        tokens: {
          getToken: () =>
            new Promise<string>((resolve) => {
              timers.push(setTimeout(() => resolve('late-token-0123456789'), TOKEN_DELAY_MS));
            }),
        },
      },
    );
    const run = new AbortController();
    const reason = new Error('run aborted by the host');
    setTimeout(() => run.abort(reason), 50);
    const started = performance.now();
    const err = await g.autopilot.getSettings({ signal: run.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    for (const t of timers) clearTimeout(t);

    expect(err).toBe(reason);
    // Today: ~4,000 ms, the whole token wait, although the run was aborted at 50 ms.
    expect(elapsed).toBeLessThan(1_000);
    expect(graph.requests).toHaveLength(0);
  });

  it("is bounded by the attempt's timeout: a token that does not come is retried, then reported as no token", async () => {
    const graph = await startLoopback(() => ({ body: { syncStatus: 'completed' } }));
    servers.push(graph);
    let asked = 0;
    const g = createGraphAdapters(
      { baseUrl: graph.url, auth: { kind: 'static-token', token: 'unused' }, isMicrosoftGraph: false, maxRetries: 1 },
      {
        // A token endpoint that never answers.
        tokens: {
          getToken: () => {
            asked++;
            return new Promise<string>(() => undefined);
          },
        },
        timeoutMs: 100,
        sleep: () => Promise.resolve(),
      },
    );
    const err = await g.autopilot.getSettings().then(
      () => null,
      (e: unknown) => e,
    );
    expect(asked).toBe(2);
    expect(graph.requests).toHaveLength(0);
    expect((err as Error).message).toMatch(/no Graph token/);
  });
});
