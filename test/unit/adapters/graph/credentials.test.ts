import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import {
  credentialTokenProvider,
  GRAPH_SCOPE,
  staticTokenProvider,
  tokenProviderFor,
} from '../../../../shared/adapters/graph/credentials.js';

function countingCredential(lifetimeMs: number, now: () => number) {
  const scopes: (string | string[])[] = [];
  const credential: TokenCredential = {
    getToken: (scope) => {
      scopes.push(scope);
      return new Promise<AccessToken>((resolve) =>
        setTimeout(() => resolve({ token: `t${scopes.length}`, expiresOnTimestamp: now() + lifetimeMs }), 5),
      );
    },
  };
  return { credential, scopes };
}

describe('credentialTokenProvider', () => {
  it('asks for the Graph .default scope, caches, and shares one in-flight request', async () => {
    let t = 1_000_000;
    const { credential, scopes } = countingCredential(60 * 60_000, () => t);
    const tokens = credentialTokenProvider(credential, GRAPH_SCOPE, () => t);
    const burst = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(burst).toEqual(['t1', 't1', 't1']);
    expect(scopes).toEqual(['https://graph.microsoft.com/.default']);
    t += 50 * 60_000;
    expect(await tokens.getToken()).toBe('t1');
    t += 6 * 60_000; // inside the 5-minute refresh margin
    expect(await tokens.getToken()).toBe('t2');
  });

  it('lets one caller stop waiting on its signal, while the shared request goes on for the others', async () => {
    const t = 1_000_000;
    const { credential, scopes } = countingCredential(60 * 60_000, () => t);
    const tokens = credentialTokenProvider(credential, GRAPH_SCOPE, () => t);
    const caller = new AbortController();
    const reason = new Error('this run was stopped');
    const stopped = tokens.getToken(caller.signal);
    const other = tokens.getToken();
    caller.abort(reason);
    await expect(stopped).rejects.toBe(reason);
    expect(await other).toBe('t1');
    expect(scopes).toHaveLength(1);
  });

  it('gives the credential a time limit for its request', async () => {
    let given: unknown;
    const credential: TokenCredential = {
      getToken: (_scope, options) => {
        given = options?.abortSignal;
        return Promise.resolve({ token: 'x', expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    };
    await credentialTokenProvider(credential).getToken();
    // A stalled identity endpoint ends the request instead of holding every later caller behind it.
    expect(given).toBeInstanceOf(AbortSignal);
    expect((given as AbortSignal).aborted).toBe(false);
  });

  it('honours refreshAfterTimestamp when the credential gives one', async () => {
    let t = 0;
    let n = 0;
    const credential: TokenCredential = {
      getToken: () =>
        Promise.resolve({ token: `r${++n}`, expiresOnTimestamp: t + 3_600_000, refreshAfterTimestamp: t + 1000 }),
    };
    const tokens = credentialTokenProvider(credential, GRAPH_SCOPE, () => t);
    expect(await tokens.getToken()).toBe('r1');
    t = 1001;
    expect(await tokens.getToken()).toBe('r2');
  });

  it('propagates credential failures and retries on the next call', async () => {
    let fail = true;
    const credential: TokenCredential = {
      getToken: () =>
        fail
          ? Promise.reject(new Error('IMDS unavailable'))
          : Promise.resolve({ token: 'ok', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const tokens = credentialTokenProvider(credential);
    await expect(tokens.getToken()).rejects.toThrow('IMDS unavailable');
    fail = false;
    await expect(tokens.getToken()).resolves.toBe('ok');
  });
});

describe('tokenProviderFor', () => {
  it('uses the static token as is', async () => {
    await expect(tokenProviderFor({ kind: 'static-token', token: 'sim-token' }).getToken()).resolves.toBe('sim-token');
    expect(() => staticTokenProvider('')).toThrow(RangeError);
  });

  it('builds every credential kind without doing I/O', () => {
    for (const auth of [
      { kind: 'managed-identity', clientId: null },
      { kind: 'managed-identity', clientId: '11111111-1111-1111-1111-111111111111' },
      {
        kind: 'client-secret',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '11111111-1111-1111-1111-111111111111',
        secret: 's',
      },
      {
        kind: 'certificate',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '11111111-1111-1111-1111-111111111111',
        certificatePath: '/nonexistent.pem',
      },
      { kind: 'azure-cli', tenantId: null },
      {
        kind: 'federated',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '11111111-1111-1111-1111-111111111111',
        managedIdentityClientId: null,
      },
    ] as const) {
      expect(typeof tokenProviderFor(auth).getToken).toBe('function');
    }
  });
});
