import { z } from 'zod';

import { InvalidHistoryQueryError, queryHistory } from '../../shared/app/history/query-history.js';
import { buildContainer } from '../../shared/composition/container.js';
import { streamLogger } from '../../shared/composition/index.js';
import { loadConfig, type TenantProfile } from '../../shared/config/index.js';
import { ACTIONS } from '../../shared/core/model/index.js';
import { bool, type CommandSpec, type ParsedFlags, str, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output/table.js';
import { dataDirOf } from '../data-dir.js';
import { startLocalTables, storageConfigured } from '../local-tables.js';
import { jsonLineForTerminal, terminalJson, terminalText } from '../output/terminal.js';
import { checkSingleTenant, TENANT_FLAG, tenantProfileOf } from '../tenant.js';

export const historySpec: CommandSpec = {
  name: 'history',
  summary:
    'Decisions and outcomes recorded in Table Storage, newest first (the configured storage, else the data folder\n' +
    "that sweep and serve write to: DATA_DIR, default ./.autopilot-medic/; a running serve's is shared).",
  flags: {
    serial: { type: 'string', value: 'S', help: 'only this device serial number (or group id, or "tenant")' },
    action: { type: 'string', value: 'A', help: `only this action (${ACTIONS.join(', ')})` },
    outcome: {
      type: 'string',
      value: 'O',
      help: 'only outcomes with this status (succeeded, already-done, planned, deferred, failed-permanent, …)',
    },
    since: { type: 'string', value: 'ISO', help: 'only records at or after this time, e.g. 2026-11-01T00:00:00Z' },
    limit: { type: 'string', value: 'N', help: 'at most N records (default 50, max 500)' },
    tenant: TENANT_FLAG,
    json: { type: 'boolean', help: 'print JSON lines' },
  },
};

const flagsSchema = z.object({
  action: z.enum(ACTIONS).optional(),
  since: z.iso.datetime({ offset: true, message: 'expected an ISO date-time, e.g. 2026-11-01T00:00:00Z' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The tenant's container: a tenant of TENANTS (its configuration and tables), or the single tenant as before. */
async function openHistoryContainer(
  env: Readonly<Record<string, string | undefined>>,
  profile: TenantProfile | null,
  requested: string | undefined,
) {
  const tenant = profile === null ? null : tenantProfileOf('history', env, profile.key, false);
  const config = tenant?.config ?? loadConfig(env);
  if (tenant === null) checkSingleTenant('history', config.tenant, requested);
  return buildContainer(config, {
    logger: streamLogger('warn', (l) => process.stderr.write(`${jsonLineForTerminal(l)}\n`)),
    ...(tenant === null ? {} : { tablePrefix: tenant.tablePrefix }),
  });
}

export async function historyCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const parsed = flagsSchema.safeParse({
    action: str(flags, 'action'),
    since: str(flags, 'since'),
    limit: str(flags, 'limit'),
  });
  if (!parsed.success) {
    throw new UsageError(
      `history: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
    );
  }
  // Which tenant's history, checked before anything starts. History only reads tables, so the embedded default's
  // simulated tenant does not matter here (TENANTS without a Graph endpoint is still a deployment's tables).
  const requested = str(flags, 'tenant');
  const profile = tenantProfileOf('history', env, requested, false);
  // No Table Storage configured: the data folder's tables, where sweep and serve keep theirs.
  const local = storageConfigured(env)
    ? null
    : await startLocalTables(dataDirOf(env), { command: 'history', tenant: null, fresh: false });
  const container = await openHistoryContainer({ ...env, ...(local?.env ?? {}) }, profile, requested).catch(
    async (err: unknown) => {
      await local?.close();
      throw err;
    },
  );
  try {
    const serial = str(flags, 'serial');
    const outcome = str(flags, 'outcome');
    const page = await queryHistory(
      container.stores.history,
      {
        ...(serial ? { serial } : {}),
        ...(parsed.data.action ? { action: parsed.data.action } : {}),
        ...(outcome ? { outcome } : {}),
        ...(parsed.data.since ? { since: Date.parse(parsed.data.since) } : {}),
        limit: parsed.data.limit,
      },
      container.stores.findings,
    ).catch((err: unknown) => {
      // A filter that cannot mean anything is a usage error (exit 2), not an aborted run.
      if (err instanceof InvalidHistoryQueryError) throw new UsageError(`history: --${err.parameter}: ${err.reason}`);
      throw err;
    });
    if (bool(flags, 'json')) {
      for (const r of page.items) process.stdout.write(`${terminalJson(r)}\n`);
    } else {
      process.stdout.write(
        `${table(
          ['time', 'subject', 'type', 'action', 'mode', 'status', 'reason'],
          page.items.map((r) => [
            new Date(r.at).toISOString(),
            r.subjectKey,
            r.type,
            r.action ?? '',
            r.mode ?? '',
            r.status,
            r.reason,
          ]),
        )}\n${page.continuationToken ? '(more records: narrow the query or raise --limit)\n' : ''}`,
      );
    }
    if (page.items.length === 0 && local !== null && !bool(flags, 'json'))
      process.stdout.write(
        `(Nothing recorded in ${terminalText(local.description)} yet: \`autopilot-medic sweep\` or \`serve\` record there.)\n`,
      );
    return EXIT.ok;
  } finally {
    await container.dispose();
    await local?.close();
  }
}
