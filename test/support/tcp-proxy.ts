import net from 'node:net';

// A loopback TCP proxy that counts the HTTP requests passing through it and can cut the line: after `cutAfter`
// requests (or on cut()), every open connection is destroyed and new ones are refused — what a storage account
// that drops off the network looks like to its client. Tests only; it never listens beyond 127.0.0.1.

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|PATCH|DELETE|MERGE|HEAD|OPTIONS) \S+ HTTP\/1\.[01]\r\n/g;

export interface TcpProxy {
  readonly port: number;
  /** Requests seen so far (request lines from clients). */
  readonly requests: number;
  /** The request lines seen, in order (method and path), e.g. to find where a phase of a run begins. */
  readonly lines: readonly string[];
  cut(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, opts: { cutAfter?: number } = {}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const lines: string[] = [];
  let requests = 0;
  let cut = false;
  const cutAll = () => {
    cut = true;
    server.close();
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      const text = chunk.toString('latin1');
      for (const m of text.matchAll(REQUEST_LINE)) {
        requests += 1;
        lines.push(m[0].trim().replace(/ HTTP\/1\.[01]$/, ''));
        if (opts.cutAfter !== undefined && requests > opts.cutAfter) {
          // This request is one too many: it never reaches storage.
          cutAll();
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get requests() {
      return requests;
    },
    lines,
    cut: cutAll,
    stop: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The connection string of an Azurite (or any table endpoint) rewritten to go through `proxyPort`. */
export function throughProxy(connectionString: string, proxyPort: number): string {
  return connectionString.replace(/(TableEndpoint=https?:\/\/)[^:/;]+:\d+/i, `$1127.0.0.1:${proxyPort}`);
}

export function endpointOf(connectionString: string): { host: string; port: number } {
  const m = /TableEndpoint=https?:\/\/([^:/;]+):(\d+)/i.exec(connectionString);
  if (!m) throw new Error('connection string has no TableEndpoint with a port');
  return { host: m[1] === 'localhost' ? '127.0.0.1' : (m[1] ?? '127.0.0.1'), port: Number(m[2]) };
}
