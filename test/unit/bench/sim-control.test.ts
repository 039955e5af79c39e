// The bench reads the simulator's request log over HTTP after each run. A sweep's phases after its reads can hold the
// event loop longer than the simulator keeps an idle connection, and the next control request then goes out on a
// socket the simulator already closed. A real server on loopback closes the first connection under a request here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SimControl } from '../../../bench/measure.js';

let server: Server | null = null;

afterEach(async () => {
  const s = server;
  server = null;
  if (s !== null) await new Promise<void>((resolve) => s.close(() => resolve()));
});

/** A server that drops the first `drops` requests' connections without an answer, then answers the log. */
async function droppingServer(drops: number): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (seen.length <= drops) {
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: [{ seq: 7 }] }));
  });
  const s = server;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

describe('SimControl over a connection closed under a request', () => {
  it('sends a read again once, on a new connection', async () => {
    const { url, seen } = await droppingServer(1);
    const log = await new SimControl(url).requests();
    expect(log).toEqual([{ seq: 7 }]);
    expect(seen).toEqual(['GET /_sim/requests?since=0', 'GET /_sim/requests?since=0']);
  });

  it('gives up when the second attempt is closed too', async () => {
    const { url, seen } = await droppingServer(2);
    await expect(new SimControl(url).requests()).rejects.toThrow(/fetch failed/);
    expect(seen).toHaveLength(2);
  });

  it('does not send a POST twice: the simulator may have applied it', async () => {
    const { url, seen } = await droppingServer(1);
    await expect(new SimControl(url).options({ latencyMs: 1 })).rejects.toThrow(/fetch failed/);
    expect(seen).toEqual(['POST /_sim/options']);
  });
});
