/**
 * Process entry: `node dist/sim/main.js --scenario demo --port 4000 [--token T] [--latency-ms N]
 * [--write-limit 100/20000] [--sync-duration-ms N]`, or `--tenants FILE` for several tenants. Prints one line with the URL and stops cleanly on
 * SIGINT/SIGTERM. `runSimMain` is exported so the CLI can host the simulator in its own process.
 */
import { pathToFileURL } from 'node:url';
import { startSimulator, type Simulator, type SimulatorOptions } from './index.js';
import { parseWriteLimit } from './limits/limiter.js';
import { readTenantsFile } from './scenario/tenants-file.js';

export interface MainIo {
  log(line: string): void;
  error(line: string): void;
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): void;
}

const processIo: MainIo = {
  log: (l) => process.stdout.write(`${l}\n`),
  error: (l) => process.stderr.write(`${l}\n`),
  onSignal: (s, h) => {
    process.once(s, h);
  },
  exit: (c) => process.exit(c),
};

export const USAGE = `usage: autopilot-medic-sim [--scenario NAME|FILE] [--port N] [--token T] [--latency-ms N]
                           [--write-limit MAX/WINDOW_MS[/sliding|fixed]] [--sync-duration-ms N]
       autopilot-medic-sim --tenants FILE [--port N]
  --scenario  bundled name (demo, healthy, deviceprep-broken, throttled, large) or a JSON file; default demo
  --tenants   several tenants on one server: JSON {"tenants": [{tenantId, scenario, token, roles, latencyMs,
              writeLimit, syncDurationMs, exportJob, faults, denials}, ...]} (see sim/README.md)
  --port      0 picks a free port; default 0`;

const num = (flag: string, v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got '${v}'`);
  return n;
};

export function parseArgs(argv: readonly string[]): SimulatorOptions & { help?: boolean } {
  const opts: SimulatorOptions & { help?: boolean } = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') {
      opts.help = true;
      continue;
    }
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    switch (name) {
      case '--scenario':
        opts.scenario = value;
        break;
      case '--tenants':
        opts.tenants = readTenantsFile(value);
        break;
      case '--port':
        opts.port = num(name, value);
        break;
      case '--token':
        opts.token = value;
        break;
      case '--latency-ms':
        opts.latencyMs = num(name, value);
        break;
      case '--write-limit':
        opts.writeLimit = value === 'off' ? null : parseWriteLimit(value);
        break;
      case '--sync-duration-ms':
        opts.syncDurationMs = num(name, value);
        break;
      default:
        throw new Error(`unknown option ${name}\n${USAGE}`);
    }
  }
  if (opts.tenants === undefined && opts.scenario === undefined) opts.scenario = 'demo';
  return opts;
}

/** Start the simulator from command-line arguments; resolves once it is listening. */
export async function runSimMain(argv: readonly string[], io: MainIo = processIo): Promise<Simulator | null> {
  const opts = parseArgs(argv);
  if (opts.help) {
    io.log(USAGE);
    return null;
  }
  const sim = await startSimulator(opts);
  // Tenant ids only: tokens are credentials and are never printed.
  const hosted = opts.tenants ? ` for tenants ${sim.tenants.map((t) => t.tenantId).join(', ')}` : '';
  io.log(`autopilot-medic simulator listening on ${sim.url}${hosted}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => io.exit(0),
      (e: unknown) => {
        io.error(String(e));
        io.exit(1);
      },
    );
  };
  io.onSignal('SIGINT', stop);
  io.onSignal('SIGTERM', stop);
  return sim;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  runSimMain(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
