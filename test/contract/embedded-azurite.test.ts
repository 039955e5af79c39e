import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedAzurite } from '../../shared/adapters/tables/embedded-azurite.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('startEmbeddedAzurite', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  // Azurite saves its on-disk database every few seconds and when it closes: stop() must close it, not kill it, or
  // the last run's records (the CLI's history in the data folder) are lost.
  it('with a location, what was written just before stop() is there after a restart', async () => {
    const location = mkdtempSync(join(tmpdir(), 'apm-azurite-'));
    try {
      const first = await startEmbeddedAzurite({ location });
      const table = (cs: string) => TableClient.fromConnectionString(cs, 'kept', { allowInsecureConnection: true });
      await table(first.connectionString).createTable();
      await table(first.connectionString).createEntity({ partitionKey: 'p', rowKey: 'r', value: 'written last' });
      await first.stop();
      expect(alive(first.pid)).toBe(false);

      const second = await startEmbeddedAzurite({ location });
      try {
        const row = await table(second.connectionString).getEntity<{ value: string }>('p', 'r');
        expect(row.value).toBe('written last');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(location, { recursive: true, force: true });
    }
  });

  it('serves the Table API on 127.0.0.1 with the dev account, and stop() ends the process', async () => {
    const started = Date.now();
    const azurite = await startEmbeddedAzurite();
    const startMs = Date.now() - started;
    expect(azurite.connectionString).toBe(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
        `TableEndpoint=http://127.0.0.1:${azurite.port}/devstoreaccount1;`,
    );
    const client = TableClient.fromConnectionString(azurite.connectionString, 'probe', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    await client.createEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });
    expect((await client.getEntity('p', 'r'))['value']).toBe(1);
    expect(alive(azurite.pid)).toBe(true);
    await azurite.stop();
    expect(alive(azurite.pid)).toBe(false);
    await azurite.stop(); // idempotent
    console.info(`embedded Azurite started in ${startMs} ms`);
  });

  it('moves to a free port when the preferred one is taken', async () => {
    const { server, port } = await occupyPort();
    servers.push(server);
    const azurite = await startEmbeddedAzurite({ port });
    try {
      expect(azurite.port).not.toBe(port);
      const client = TableClient.fromConnectionString(azurite.connectionString, 'probe', {
        allowInsecureConnection: true,
      });
      await client.createTable();
    } finally {
      await azurite.stop();
    }
  });

  it('runs side by side with another instance', async () => {
    const [a, b] = await Promise.all([startEmbeddedAzurite(), startEmbeddedAzurite()]);
    expect(a.port).not.toBe(b.port);
    await Promise.all([a.stop(), b.stop()]);
    expect([alive(a.pid), alive(b.pid)]).toEqual([false, false]);
  });
});
