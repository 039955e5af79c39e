import { runSimMain } from '../../sim/main.js';
import type { CommandSpec, ParsedFlags } from '../args.js';
import { str } from '../args.js';
import { EXIT } from '../exit-codes.js';

export const simSpec: CommandSpec = {
  name: 'sim',
  summary:
    'Run the Graph-compatible tenant simulator until Ctrl-C (point GRAPH_BASE_URL at it, GRAPH_TOKEN=sim-token).',
  flags: {
    scenario: {
      type: 'string',
      value: 'NAME|FILE',
      help: 'bundled scenario (demo, healthy, deviceprep-broken, throttled, large) or a JSON file (default: demo)',
    },
    port: { type: 'string', value: 'N', help: 'port on 127.0.0.1 (default: a free port)' },
    token: { type: 'string', value: 'T', help: 'bearer token to require (default: sim-token)' },
    'latency-ms': { type: 'string', value: 'N', help: 'fixed latency added to every Graph request' },
    'write-limit': { type: 'string', value: 'MAX/WINDOW_MS', help: 'simulated write limit, e.g. 100/20000' },
  },
};

export async function simCommand(flags: ParsedFlags): Promise<number> {
  const argv = ['--scenario', str(flags, 'scenario') ?? 'demo'];
  for (const name of ['port', 'token', 'latency-ms', 'write-limit']) {
    const v = str(flags, name);
    if (v !== undefined) argv.push(`--${name}`, v);
  }
  const sim = await runSimMain(argv);
  if (!sim) return EXIT.ok;
  // runSimMain owns SIGINT/SIGTERM and exits the process when the simulator has stopped.
  return new Promise<number>(() => undefined);
}
