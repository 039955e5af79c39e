import { AuthenticationError, type TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphAdapters } from '../../../shared/adapters/graph/index.js';
import { credentialTokenProvider } from '../../../shared/adapters/graph/credentials.js';
import { isTransient } from '../../../shared/app/remediation/lifecycle.js';
import { TransientError } from '../../../shared/ports/index.js';
import { type Loopback, startLoopback } from './loopback-server.js';

// a credential that Entra REJECTS (expired client secret AADSTS7000222, multi-tenant app not consented
// in the customer tenant AADSTS700016/AADSTS7000229, wrong secret AADSTS7000215) surfaces inside GraphHttp.attempt()
// as a thrown getToken(). exchangeOne() files every thrown attempt under "network error": it retries it with backoff
// (one more token request to Entra per retry) and finally throws TransientError("… network error — …"), which the
// remediation worker treats as "redeliver" (lifecycle.isTransient). The same request gets the same answer from Entra:
// it must be one attempt and a non-transient error.

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A Graph on loopback, and a credential whose every token request fails with `error` (counted). */
async function graphAndFailingCredential(error: AuthenticationError) {
  const graph = await startLoopback(() => ({ body: { syncStatus: 'completed' } }));
  servers.push(graph);
  const asked = { count: 0 };
  const credential: TokenCredential = {
    getToken: () => {
      asked.count++;
      return Promise.reject(error);
    },
  };
  return { graph, credential, asked };
}

describe('a credential rejected by Entra ID', () => {
  it('is not retried as a network error and is not reported as transient', async () => {
    // What @azure/identity's ClientSecretCredential throws when Entra answers 401 invalid_client.
    const { graph, credential, asked } = await graphAndFailingCredential(
      new AuthenticationError(401, {
        error: 'invalid_client',
        error_description:
          "AADSTS7000222: The provided client secret keys for app '00000000-0000-0000-0000-000000000001' are expired.",
      }),
    );
    const sleeps: number[] = [];
    const g = createGraphAdapters(
      {
        baseUrl: graph.url,
        auth: { kind: 'static-token', token: 'unused-static-token' },
        isMicrosoftGraph: false,
        maxRetries: 4,
      },
      {
        tokens: credentialTokenProvider(credential),
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      },
    );

    const err = await g.autopilot.getSettings().then(
      () => null,
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(Error);
    expect(graph.requests).toHaveLength(0);
    // One token request: Entra's refusal is final (today: 5 requests, 4 backoff waits).
    expect(asked.count).toBe(1);
    expect(sleeps).toEqual([]);
    // Not a network problem, and not something a redelivery can fix.
    expect((err as Error).message).not.toMatch(/network error/);
    expect(err).not.toBeInstanceOf(TransientError);
    expect(isTransient(err)).toBe(false);
    // The AADSTS code still reaches the operator (render-overview.ts ACCESS_FAILURE matches it).
    expect((err as Error).message).toMatch(/AADSTS7000222/);
  });

  it('is retried when Entra ID is down, and then reported as no token, transient', async () => {
    const { graph, credential, asked } = await graphAndFailingCredential(
      new AuthenticationError(503, { error: 'temporarily_unavailable', error_description: 'AADSTS90033' }),
    );
    const g = createGraphAdapters(
      { baseUrl: graph.url, auth: { kind: 'static-token', token: 'unused' }, isMicrosoftGraph: false, maxRetries: 2 },
      { tokens: credentialTokenProvider(credential), sleep: () => Promise.resolve() },
    );
    const err = await g.autopilot.getSettings().then(
      () => null,
      (e: unknown) => e,
    );
    expect(asked.count).toBe(3);
    expect(graph.requests).toHaveLength(0);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(/no Graph token/);
    expect((err as Error).message).not.toMatch(/network error/);
    expect(isTransient(err)).toBe(true);
  });
});
