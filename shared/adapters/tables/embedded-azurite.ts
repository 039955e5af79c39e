import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Runs the installed Azurite table service as a child process: the embedded store for tests and for the CLI
// when no storage is configured. Everything here is about never leaving an orphan and never hanging silently.

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly port: number;
  /** Process id of the Azurite child, for diagnostics. */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedAzuriteOptions {
  /** Preferred port; if it is taken, a free one is used instead. Default: any free port. */
  readonly port?: number;
  /** How long to wait for Azurite to report that it listens. */
  readonly startTimeoutMs?: number;
  /** Keep the tables on disk in this folder (created if missing); absent = in memory, gone when it stops. */
  readonly location?: string;
}

const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const READY_MESSAGE = 'Azurite Table service successfully started';
/** Longer than the watchdog's own limit, so a stop that saves the database is never cut short. */
const STOP_GRACE_MS = 5_000;

// The child stops when its stdin closes, which the OS does when this process dies for any reason (even SIGKILL),
// so an Azurite is never left behind. It stops as on Ctrl-C — Azurite closes its server and, with --location, saves
// its database (it saves on its own only every few seconds) — and exits at the latest after STOP_GRACE_MS.
// With `node -e`, argv[1] is the first extra argument: the Azurite entry point; its own flags follow, so Azurite
// parses argv as if it had been started directly.
const WATCHDOG = [
  'const stop = () => { setTimeout(() => process.exit(0), 3000).unref(); process.emit("SIGINT"); };',
  'process.stdin.once("end", stop).once("error", stop).resume();',
  'require(process.argv[1]);',
].join('\n');

export function devConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_ACCOUNT_KEY};` +
    `TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`
  );
}

export async function startEmbeddedAzurite(options: EmbeddedAzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const timeout = options.startTimeoutMs ?? 30_000;
  try {
    return await startOnce(options.port ?? (await freePort()), timeout, options.location);
  } catch (first) {
    // The port was taken (by the caller's choice, or by someone else between our probe and Azurite's listen).
    if (!(first instanceof AzuriteStartError) || !first.portInUse) throw first;
    return startOnce(await freePort(), timeout, options.location);
  }
}

export class AzuriteStartError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = 'AzuriteStartError';
  }
}

/**
 * The Azurite table service's entry point. Azurite is a development dependency (it brings some 250 packages the
 * deployed app must not carry), so a production install has none: say what to do instead of a module error.
 */
export function azuriteTableMain(resolve: (id: string) => string = createRequire(import.meta.url).resolve): string {
  let pkg: string;
  try {
    pkg = resolve('azurite/package.json');
  } catch {
    throw new AzuriteStartError(
      'the embedded Azurite is not installed (it is a development dependency; a production install omits it): run `npm ci` in the project, or configure Table Storage (STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT)',
      false,
    );
  }
  return join(dirname(pkg), 'dist', 'src', 'table', 'main.js');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

function startOnce(port: number, timeoutMs: number, location?: string): Promise<EmbeddedAzurite> {
  const persistence = location === undefined ? ['--inMemoryPersistence'] : ['--location', location];
  const flags = [...persistence, '--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent'];
  const args = ['-e', WATCHDOG, azuriteTableMain(), ...flags, '--tableHost', '127.0.0.1', '--tablePort', String(port)];
  if (location !== undefined) mkdirSync(location, { recursive: true });
  // Azurite refuses --location with --inMemoryPersistence but still ensures its workspace (the cwd) exists.
  const cwd = location ?? tmpdir();
  // Its own process group: Ctrl-C in the terminal reaches the CLI, which finishes its step and then stops Azurite,
  // rather than Azurite closing under a run in progress.
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
    detached: process.platform !== 'win32',
  });
  track(child);
  let output = '';
  return new Promise<EmbeddedAzurite>((resolve, reject) => {
    const collect = (chunk: string): void => {
      output = (output + chunk).slice(-8_000);
      if (output.includes(READY_MESSAGE)) ready();
    };
    const fail = (why: string): void => {
      cleanup();
      void stopChild(child);
      const tail = output.trim().slice(-2_000);
      reject(
        new AzuriteStartError(
          `Azurite (table, port ${port}) ${why}${tail ? `:\n${tail}` : ''}`,
          /EADDRINUSE/.test(tail),
        ),
      );
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
    const onError = (err: Error): void => fail(`could not be spawned (${err.message})`);
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('exit', onExit).off('error', onError);
      child.stdout?.off('data', collect);
      child.stderr?.off('data', collect);
    };
    const ready = (): void => {
      cleanup();
      // Keep draining the pipes without buffering, and let this process exit without an explicit stop():
      // the exit hook and the stdin watchdog then take Azurite down with it.
      for (const stream of [child.stdout, child.stderr]) stream?.resume();
      unrefAll(child);
      resolve({
        connectionString: devConnectionString(port),
        port,
        pid: child.pid ?? -1,
        stop: () => stopChild(child),
      });
    };
    child.stdout?.setEncoding('utf8').on('data', collect);
    child.stderr?.setEncoding('utf8').on('data', collect);
    child.once('exit', onExit).once('error', onError);
  });
}

function unrefAll(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream && 'unref' in stream && typeof stream.unref === 'function') (stream as { unref(): void }).unref();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // Closing stdin is the stop request (see WATCHDOG): Azurite saves its tables and exits.
    child.stdin?.end();
  });
}

// On a normal exit of this process, close every Azurite it started right away (the stdin pipe closes with this
// process too; SIGINT is the same stop request). Signals need no hook of ours (which would change the host's signal
// behaviour): a dying parent closes the pipe and the watchdog fires.
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGINT');
  });
}
