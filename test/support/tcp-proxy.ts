import net from 'node:net';

// A loopback TCP proxy that counts the HTTP requests passing through it and can cut the line: after `cutAfter`
// requests (or on cut()), every open connection is destroyed and new ones are refused — what a storage account
// that drops off the network looks like to its client. It can also hold the line: once `holdAfter` matches a request
// (that request still goes through), or on hold(), nothing more reaches storage and no connection is closed — a
// storage account that stops answering. Tests only; it never listens beyond 127.0.0.1.

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|PATCH|DELETE|MERGE|HEAD|OPTIONS) \S+ HTTP\/1\.[01]\r\n/g;

export interface TcpProxy {
  readonly port: number;
  /** Requests seen so far (request lines from clients). */
  readonly requests: number;
  /** The request lines seen, in order (method and path), e.g. to find where a phase of a run begins. */
  readonly lines: readonly string[];
  /** Whether the line is held (holdAfter matched, or hold() was called). */
  readonly held: boolean;
  cut(): void;
  hold(): void;
  stop(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Cut the line when request number cutAfter + 1 arrives (it never reaches storage). */
  readonly cutAfter?: number;
  /** Hold the line after the first request whose line (`METHOD /path`) makes this true; that request goes through. */
  readonly holdAfter?: (line: string, index: number) => boolean;
}

export async function startTcpProxy(
  target: { host: string; port: number },
  opts: TcpProxyOptions = {},
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const lines: string[] = [];
  let requests = 0;
  let cut = false;
  let held = false;
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
    // Set when this connection carries the request holdAfter matched: its body may follow in later chunks, so the
    // line is held once storage has answered it.
    let holdOnAnswer = false;
    client.on('data', (chunk: Buffer) => {
      if (cut || (held && !holdOnAnswer)) return;
      const text = chunk.toString('latin1');
      let holdNext = false;
      for (const m of text.matchAll(REQUEST_LINE)) {
        requests += 1;
        const line = m[0].trim().replace(/ HTTP\/1\.[01]$/, '');
        lines.push(line);
        if (opts.cutAfter !== undefined && requests > opts.cutAfter) {
          // This request is one too many: it never reaches storage.
          cutAll();
          return;
        }
        if (!held && opts.holdAfter?.(line, requests - 1)) holdNext = true;
      }
      upstream.write(chunk);
      if (holdNext) holdOnAnswer = true;
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cut || (held && !holdOnAnswer)) return;
      client.write(chunk);
      if (holdOnAnswer) {
        holdOnAnswer = false;
        held = true;
      }
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
    get held() {
      return held;
    },
    lines,
    cut: cutAll,
    hold: () => {
      held = true;
    },
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
