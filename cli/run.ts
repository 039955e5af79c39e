import { readFileSync } from 'node:fs';

import { ConfigError } from '../shared/config/index.js';
import { ensureError, GraphError, storageFailureOf } from '../shared/ports/index.js';
import { helpText, parseFlags, UsageError, type CommandSpec, type ParsedFlags } from './args.js';
import { terminalText } from './output/terminal.js';
import { approvalsCommand, approvalsSpec } from './commands/approvals.js';
import { complianceCommand, complianceSpec } from './commands/compliance.js';
import { deviceCommand, deviceSpec } from './commands/device.js';
import { healthCommand, healthSpec } from './commands/health.js';
import { historyCommand, historySpec } from './commands/history.js';
import { serveCommand, serveSpec } from './commands/serve.js';
import { simCommand, simSpec } from './commands/sim.js';
import { sweepCommand, sweepSpec } from './commands/sweep.js';
import { tenantsCommand, tenantsSpec } from './commands/tenants.js';
import { EXIT } from './exit-codes.js';
import { terminalLines } from './output/terminal.js';
import { StopSignal } from './session.js';

// autopilot-medic: the same use cases as the Functions app, from a terminal. Exit codes: 0 the run completed
// (findings or not), 2 configuration or usage error, 1 the run aborted (Graph or Table Storage unreachable,
// permissions, truncated read) or a remediation command failed for good (dead-lettered), with the reason on stderr.

type Runner = (
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  stop: StopSignal,
) => Promise<number>;

const COMMANDS: readonly (readonly [CommandSpec, Runner])[] = [
  [sweepSpec, sweepCommand],
  [complianceSpec, complianceCommand],
  [historySpec, historyCommand],
  [deviceSpec, deviceCommand],
  [healthSpec, healthCommand],
  [approvalsSpec, approvalsCommand],
  [tenantsSpec, tenantsCommand],
  [serveSpec, serveCommand],
  [simSpec, (flags) => simCommand(flags)],
];

function usage(): string {
  const width = Math.max(...COMMANDS.map(([s]) => s.name.length));
  const rows = COMMANDS.map(([s]) => `  ${s.name.padEnd(width)}  ${s.summary.split('\n')[0] ?? ''}`);
  return [
    'Usage: autopilot-medic <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Run `autopilot-medic <command> --help` for its options; `autopilot-medic --version` prints the version.',
  ].join('\n');
}

/** The version of the installed package, read where the code runs (source or dist/). */
export function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'autopilot-medic' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level: try the next
    }
  }
  return 'unknown';
}

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // No command: the usage is the error message, on stderr, with the usage exit code.
    process.stderr.write(`${usage()}\n`);
    return EXIT.config;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`autopilot-medic ${version()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find(([s]) => s.name === name);
  if (!entry) {
    process.stderr.write(`Unknown command "${terminalText(name.slice(0, 80))}".\n\n${usage()}\n`);
    return EXIT.config;
  }
  const [spec, run] = entry;
  // The simulator handles its own signals; every other command stops between steps on Ctrl-C.
  const stop = new StopSignal(spec.name !== 'sim');
  try {
    const flags = parseFlags(spec, rest);
    if (flags.help === true) {
      process.stdout.write(`${helpText(spec)}\n`);
      return EXIT.ok;
    }
    return await run(flags, env, stop);
  } catch (err) {
    return reportFailure(err);
  } finally {
    stop.dispose();
  }
}

function reportFailure(err: unknown): number {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`${terminalLines(err.message)}\n`);
    return EXIT.config;
  }
  const e = ensureError(err);
  if (e instanceof GraphError) {
    const where = [e.status ? `HTTP ${e.status}` : null, e.code, e.requestId ? `request-id ${e.requestId}` : null]
      .filter(Boolean)
      .join(', ');
    process.stderr.write(
      `Run aborted: ${terminalLines(`${e.name}: ${e.message}${where ? ` (${where})` : ''}`)}\nNothing was decided on a partial picture.\n`,
    );
    return EXIT.aborted;
  }
  if (storageFailureOf(e) !== null) {
    // Every tenant write is preceded by its attempt record, so a write this run made is on record even if its
    // outcome is not; unfinished commands are re-checked by the next run (their claims expire).
    process.stderr.write(
      `Run aborted: ${terminalLines(e.message)}\nNo further tenant writes were made; run again once Table Storage is reachable.\n`,
    );
    return EXIT.aborted;
  }
  process.stderr.write(`Run aborted: ${terminalLines(e.message)}\n`);
  return EXIT.aborted;
}
