import { checkHealth } from '../../shared/app/health/check-health.js';
import { healthInputs } from '../../shared/composition/health.js';
import { bool, type CommandSpec, type ParsedFlags } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { healthText } from '../output/health-text.js';
import { terminalJson } from '../output/terminal.js';
import { openCliSession, SESSION_FLAGS } from '../session.js';

// autopilot-medic health: the first thing to run against a real tenant. The same use case as GET /api/health:
// the credential and its tenant, every Graph permission per tier, one read-only request per endpoint, each
// DEVICE_PREP_GROUPS group, every table, the schedules with their next runs. It never writes to the tenant.
// Exit 0 when every check is ok, 1 otherwise (degraded or failing), 2 for a configuration error.

export const healthSpec: CommandSpec = {
  name: 'health',
  summary:
    'Check the setup against the tenant without writing anything: credential and tenant, Graph permissions per tier,\n' +
    'one read per endpoint, each device-preparation group, storage tables, schedules. Exit 0 healthy, 1 not.',
  flags: {
    scenario: SESSION_FLAGS.scenario,
    verbose: SESSION_FLAGS.verbose,
    tenant: SESSION_FLAGS.tenant,
    json: { type: 'boolean', help: 'print the report as JSON to stdout' },
  },
};

export async function healthCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const session = await openCliSession('health', flags, env, {});
  try {
    const { deps, options } = healthInputs(session.container, Date.now());
    const report = await checkHealth(deps, options);
    process.stdout.write(
      bool(flags, 'json') ? `${terminalJson(report, 2)}\n` : `${healthText(report, session.container.config.tenant)}\n`,
    );
    return report.status === 'ok' ? EXIT.ok : EXIT.aborted;
  } finally {
    await session.close();
  }
}
