import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devConnectionString } from '../../../shared/adapters/tables/embedded-azurite.js';
import { tableClient } from '../../../shared/adapters/tables/table-helpers.js';
import { createTableStores } from '../../../shared/adapters/tables/table-stores.js';
import { StorageUnavailableError } from '../../../shared/ports/index.js';
import { withAzurite } from '../../support/azurite.js';
import { endpointOf, startTcpProxy, throughProxy } from '../../support/tcp-proxy.js';

// Issue 13.2: Table Storage that cannot be reached fails fast, with an error that says it was storage (before,
// the SDK answered "socket hang up" after its own retries, and a peer that never answered hung forever). Real
// sockets on loopback: a closed port, a peer that resets, a peer that accepts and never answers, and Azurite
// behind a proxy that is cut mid-use.

type Peer = { port: number; close(): Promise<void> };

async function peer(kind: 'refuse' | 'reset' | 'silent'): Promise<Peer> {
  const held: net.Socket[] = [];
  const server = net.createServer((s) => (kind === 'reset' ? s.destroy() : void held.push(s)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of held) s.destroy();
      server.close(() => resolve());
    });
  if (kind === 'refuse') await close();
  return { port, close: kind === 'refuse' ? () => Promise.resolve() : close };
}

async function failure(op: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  try {
    await op();
  } catch (err) {
    return { err, ms: Date.now() - started };
  }
  throw new Error('expected the storage call to fail');
}

describe('storage that cannot be reached', () => {
  it.each([
    ['connection refused', 'refuse', /ECONNREFUSED/],
    ['connection reset ("socket hang up")', 'reset', /ECONNRESET|socket hang up/],
    ['a peer that never answers', 'silent', /no answer within 400 ms/],
  ] as const)('%s: a StorageUnavailableError naming Table Storage, within seconds', async (_n, kind, detail) => {
    const p = await peer(kind);
    try {
      // The silent peer gets a short deadline here; its default (15 s) is the next test.
      const client = tableClient(
        { connectionString: devConnectionString(p.port) },
        'medicHistory',
        kind === 'silent' ? { requestTimeoutMs: 400 } : {},
      );
      for (const op of [
        () => client.getEntity('p', 'r'),
        () => client.submitTransaction([['upsert', { partitionKey: 'p', rowKey: 'r' }]]),
      ]) {
        const { err, ms } = await failure(op);
        expect(err).toBeInstanceOf(StorageUnavailableError);
        expect((err as Error).message).toMatch(/^Table Storage is unreachable \(medicHistory\): /);
        expect((err as Error).message).toMatch(detail);
        // Two short retries (~0.25 s + ~0.5 s) for refused/reset; one timed-out request for the silent peer.
        expect(ms).toBeLessThan(5_000);
      }
    } finally {
      await p.close();
    }
  });

  it('a silent peer is cut off by the default deadline, not left hanging', async () => {
    const p = await peer('silent');
    try {
      const client = tableClient({ connectionString: devConnectionString(p.port) }, 'medicClaims');
      const { err, ms } = await failure(() => client.getEntity('p', 'r'));
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as Error).message).toMatch(/no answer within 15000 ms/);
      expect(ms).toBeLessThan(20_000);
    } finally {
      await p.close();
    }
  }, 30_000);
});

describe('Azurite cut off mid-use', () => {
  let azurite: Awaited<ReturnType<typeof withAzurite>>;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it('the stores work through the proxy, then fail with StorageUnavailableError once it is cut; service errors stay as they were', async () => {
    const proxy = await startTcpProxy(endpointOf(azurite.connectionString));
    try {
      const stores = await createTableStores(
        { connectionString: throughProxy(azurite.connectionString, proxy.port) },
        `cut${Date.now() % 100000}`,
      );
      const row = {
        subjectKey: 'SN-1',
        at: 1,
        id: 'r1',
        runId: 'run',
        type: 'outcome' as const,
        action: null,
        code: null,
        idempotencyKey: null,
        mode: null,
        status: 'succeeded',
        reason: 'ok',
        attempt: 1,
        graphRequestId: null,
        before: null,
        after: null,
      };
      await stores.history.append([row]);
      expect((await stores.history.query({ subjectKey: 'SN-1', limit: 10 })).items).toHaveLength(1);
      // A 404 is the service answering, not storage being down: still a plain "not found".
      expect(await stores.claims.get('allow-next-enrollment', 'nope')).toBeNull();
      expect(proxy.requests).toBeGreaterThan(8);

      proxy.cut();
      const { err, ms } = await failure(() => stores.history.append([{ ...row, id: 'r2' }]));
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as Error).message).toMatch(/^Table Storage is unreachable \(cut\d+History\)/);
      expect(ms).toBeLessThan(5_000);
      await expect(stores.claims.get('allow-next-enrollment', 'k')).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await proxy.stop();
    }
  });
});
