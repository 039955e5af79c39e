import { bool, type CommandSpec, type ParsedFlags, str, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { terminalText } from '../output/terminal.js';
import { wantsEmbeddedTenant } from '../embedded.js';
import { openSession, SESSION_FLAGS, type StopSignal } from '../session.js';
import { startHttpBridge } from '../serve/http-bridge.js';
import { loadAppTriggers } from '../serve/functions.js';
import { livingTenant, type Incident } from '../serve/living-tenant.js';
import { FUNCTION_NAMES } from '../../shared/composition/bindings.js';
import { startTimers, type RunReport } from '../serve/timers.js';
import { logLine } from '../serve/log-line.js';

// autopilot-medic serve: the Functions app without the Functions host. The poll and compliance timers on their
// schedules, the worker in-process, and the app's HTTP endpoints on 127.0.0.1 — the same composition root and
// triggers the deployment runs. Against a real tenant it is a way to run the product on a VM or in a container;
// on the embedded default it runs a simulated tenant that keeps producing problems, faster with --speed.

const DEFAULT_PORT = 7071;
/**
 * The embedded tenant's schedules (a configured schedule still wins): a poll every 10 minutes and a compliance sweep
 * (which also detects and remediates, and writes the dashboard's report) 5 minutes after each. The living tenant
 * plants an incident after every second poll, so the next run to see it is a compliance sweep: its report shows the
 * problem open with its fix applied, the poll after verifies it, and the next report shows it resolved.
 */
const EMBEDDED_SCHEDULES = { POLL_SCHEDULE: '0 */10 * * * *', COMPLIANCE_SCHEDULE: '0 5-59/10 * * * *' } as const;
const POLLS_PER_INCIDENT = 2;

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary:
    'Run the app unattended: poll and compliance timers, the worker, and the HTTP endpoints (dashboard, history,\n' +
    'devices, health, sweep) on 127.0.0.1; Ctrl-C stops it. On the embedded default the tenant keeps changing.',
  flags: {
    port: { type: 'string', value: 'N', help: `HTTP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)` },
    'allow-host': {
      type: 'string',
      value: 'HOST[,HOST]',
      help: 'Host header values served besides 127.0.0.1/localhost (a reverse proxy in front: name or name:port)',
    },
    speed: {
      type: 'string',
      value: 'N',
      help: 'embedded default only: N simulated seconds per real second (timers, tenant, cooldowns; default 60)',
    },
    fresh: SESSION_FLAGS.fresh,
    'no-incidents': { type: 'boolean', help: 'embedded default only: the tenant does not change by itself' },
    scenario: SESSION_FLAGS.scenario,
    verbose: SESSION_FLAGS.verbose,
    tenant: SESSION_FLAGS.tenant,
  },
};

export async function serveCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  stop: StopSignal,
): Promise<number> {
  const port = whole(str(flags, 'port') ?? String(DEFAULT_PORT), 'port', 0, 65_535);
  // The embedded tenant runs a minute a second by default, so a newcomer sees the loop close within seconds.
  const speed = whole(str(flags, 'speed') ?? (wantsEmbeddedTenant(env) ? '60' : '1'), 'speed', 1, 10_000);
  const scenario = str(flags, 'scenario');
  const tenant = str(flags, 'tenant');
  const session = await openSession({
    env: { ...EMBEDDED_SCHEDULES, ...env },
    command: 'serve',
    ...(tenant === undefined ? {} : { tenant }),
    fresh: bool(flags, 'fresh'),
    verbose: bool(flags, 'verbose'),
    speed,
    ...(scenario ? { scenario } : {}),
  });
  const clock = session.clock;
  const out = (line: string) => process.stdout.write(`${terminalText(line)}\n`);
  const stamp = () => new Date(clock.now()).toISOString().slice(11, 19);
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    if (session.embedded === null && speed !== 1)
      throw new UsageError('serve: --speed applies only to the embedded default (a real tenant runs in real time)');
    const sim = session.embedded?.sim ?? null;
    // Other commands on this data folder (sweep, device, history) use this tenant and this clock while serve runs.
    session.publish({
      ...(sim ? { graph: { url: sim.url, token: sim.token } } : {}),
      clock: { realStart: Date.now(), appStart: clock.now(), speed },
    });
    if (sim) {
      // The tenant's clock follows the app's, so a sped-up run sees the tenant's own timers (sync, reports) in step.
      const follow = setInterval(() => sim.clock.set(new Date(clock.now())), 100);
      follow.unref();
      cleanups.push(() => clearInterval(follow));
    }
    const triggers = await loadAppTriggers(session.container);
    const http = await startHttpBridge(triggers.routes, {
      port,
      log: (l) => out(`${stamp()} ${l}`),
      allowedHosts: allowedHosts(str(flags, 'allow-host'), session.container.config.approvals.baseUrl),
    });
    cleanups.push(() => http.close());
    const living =
      sim && !bool(flags, 'no-incidents')
        ? livingTenant(sim, {
            groupId: session.container.config.devicePrepGroups[0]?.groupId ?? null,
            onIncident: (i: Incident) => out(`${stamp()} tenant: ${i.kind} (${i.subject})`),
          })
        : null;
    let polls = 0;
    const timers = startTimers(
      triggers.timers,
      clock,
      (r) => {
        out(`${stamp()} ${runLine(r)}`);
        session.save();
        if (r.name === FUNCTION_NAMES.poll && (polls += 1) % POLLS_PER_INCIDENT === 0) living?.plantNext();
      },
      (name, level, args) => {
        const line = logLine(name, level, args);
        if (line !== null) out(`${stamp()} ${line}`);
      },
    );
    cleanups.unshift(() => timers.stop());

    out(
      `autopilot-medic serve: ${session.embedded ? `embedded tenant "${session.embedded.scenario}"` : 'configured tenant'}, speed ×${speed}`,
    );
    out(`Dashboard  ${http.url}/api/dashboard?refresh=${Math.max(2, Math.round(300 / speed))}`);
    out(`API        ${http.url}/api/{health,history,devices/<serial>,report/latest}  POST ${http.url}/api/sweep`);
    out(`Storage    ${session.storage}`);
    for (const [name, at] of timers.next()) out(`Next       ${name} at ${new Date(at).toISOString()}`);
    out('Ctrl-C to stop.');
    await stop.whenStopped();
    out('Stopping: waiting for the run in progress…');
    return EXIT.ok;
  } finally {
    for (const c of cleanups) await c();
    await session.close();
  }
}

/** `--allow-host` and the host review links name (APPROVAL_BASE_URL): reviewers open the page under that name. */
function allowedHosts(flag: string | undefined, approvalBaseUrl: string | null): string[] {
  const listed = (flag ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return approvalBaseUrl === null ? listed : [...listed, new URL(approvalBaseUrl).host];
}

function runLine(r: RunReport): string {
  const s = (r.ms / 1000).toFixed(1);
  return r.error === null ? `${r.name} done in ${s} s` : `${r.name} FAILED after ${s} s: ${r.error}`;
}

function whole(value: string, name: string, min: number, max: number): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`serve: --${name}: a whole number from ${min} to ${max}, got "${value.slice(0, 20)}"`);
  return n;
}
