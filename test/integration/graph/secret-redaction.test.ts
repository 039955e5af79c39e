import { afterEach, describe, expect, it } from 'vitest';

import { createGraphAdapters } from '../../../shared/adapters/graph/index.js';
import { GraphError } from '../../../shared/ports/index.js';
import { drain } from './sim-harness.js';
import { type Loopback, startLoopback } from './loopback-server.js';

// Issue 13.7: a Graph error body that echoes the bearer token reached stderr, --json output and history rows.
// Every text the Graph adapter builds from a reply (message, code, request id) is redacted: the token it sent,
// the configured secret, and anything shaped like a bearer token, a JWT or a URL/JSON secret.

/** JWT-shaped (header.payload.signature, base64url), as Entra ID access tokens are. */
const JWT = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from('{"aud":"https://graph.microsoft.com","roles":["x"]}').toString('base64url')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
/** An opaque static token (GRAPH_AUTH=static-token): no recognisable shape, masked because the adapter sent it. */
const OPAQUE = 'opaque-static-token-4d1f7a';
const SAS = 'sv=2024-11-04&se=2030-01-01&sr=b&sp=r&sig=AbCdEfSaSsIgNaTuRe%2B0123456789';
const CLIENT_SECRET = 'Q~client.secret-value_0123456789';

let server: Loopback | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

/** A service that quotes back whatever Authorization header it got, in every place an error text is built from. */
async function echoingService(status: number): Promise<Loopback> {
  return startLoopback((req) => {
    const auth = String(req.headers.authorization ?? '');
    const token = auth.replace(/^Bearer /, '');
    return {
      status,
      headers: { 'request-id': `rid-${token}` },
      body: {
        error: {
          code: `Denied_${token}`,
          message: `Token rejected. Authorization: ${auth}; token=${token}; raw ${token}; blob https://x.blob.core.windows.net/r.zip?${SAS}; {"client_secret":"${CLIENT_SECRET}"}`,
          innerError: { 'request-id': `inner-${token}` },
        },
      },
    };
  });
}

function everyText(err: unknown): string {
  const e = err as GraphError;
  return [String(err), e.message, e.code, e.requestId, JSON.stringify(err), e.stack].join('\n');
}

describe('Graph error texts never carry a token or secret the service echoed', () => {
  for (const status of [401, 403, 500]) {
    for (const [kind, token] of [
      ['JWT', JWT],
      ['opaque', OPAQUE],
    ] as const) {
      it(`HTTP ${status}, ${kind} token: message, code and request id are redacted`, async () => {
        server = await echoingService(status);
        const graph = createGraphAdapters(
          { baseUrl: server.url, auth: { kind: 'static-token', token }, isMicrosoftGraph: false, maxRetries: 0 },
          // A credential-built token (not the configured one) is masked because it was sent, not because it is configured.
          { tokens: { getToken: () => Promise.resolve(token) } },
        );
        const failures = await Promise.all([
          graph.autopilot.getSettings().then(
            () => null,
            (e: unknown) => e,
          ),
          drain(graph.directory.listManagedDevices()).then(
            () => null,
            (e: unknown) => e,
          ),
          graph.actions.allowNextEnrollment('2b0b6f0e-0000-4000-8000-000000000001').then(
            () => null,
            (e: unknown) => e,
          ),
        ]);
        for (const err of failures) {
          expect(err).toBeInstanceOf(GraphError);
          const text = everyText(err);
          expect(text).not.toContain(token);
          expect(text).not.toContain('AbCdEfSaSsIgNaTuRe');
          expect(text).not.toContain(CLIENT_SECRET);
          expect(text).toContain('[redacted]');
          // Still a useful error: what failed and how.
          expect((err as GraphError).message).toContain(`HTTP ${status}`);
        }
      });
    }
  }

  it('the configured client secret is masked even when the service quotes it bare', async () => {
    server = await startLoopback(() => ({
      status: 400,
      body: { error: { code: 'BadRequest', message: `bad ${CLIENT_SECRET} here` } },
    }));
    const graph = createGraphAdapters(
      {
        baseUrl: server.url,
        auth: { kind: 'client-secret', tenantId: 't', clientId: 'c', secret: CLIENT_SECRET },
        isMicrosoftGraph: false,
        maxRetries: 0,
      },
      { tokens: { getToken: () => Promise.resolve(JWT) } },
    );
    const err = await graph.autopilot.getSettings().then(
      () => null,
      (e: unknown) => e,
    );
    expect(everyText(err)).not.toContain(CLIENT_SECRET);
    expect((err as GraphError).message).toContain('bad [redacted] here');
  });
});
