import { readFileSync } from 'node:fs';

import { readTenantRows, writeTenantRows } from '../../shared/adapters/tables/tenant-table.js';
import { tenantsTableClient } from '../../shared/composition/fleet-source.js';
import { loadDeploymentWithTable, type TenantRow } from '../../shared/config/index.js';
import { bool, type CommandSpec, type ParsedFlags, str, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { storageConfigured } from '../local-tables.js';
import { table } from '../output/table.js';
import { terminalJson, terminalText } from '../output/terminal.js';

// autopilot-medic tenants [list|import FILE]: the tenants table of a many-tenant deployment (TENANTS_SOURCE=table).
// `import` reads a file holding the same JSON array as TENANTS, checks it exactly as the deployment will (with this
// environment's other settings), and only then replaces the table's rows: tenants not in the file are removed. A file
// with any problem writes nothing and lists every problem (exit 2). `list` shows ids, names and which settings each
// tenant overrides — never their values, which may be webhook URLs or tokens.

const VERBS = ['list', 'import'] as const;
type Verb = (typeof VERBS)[number];

export const tenantsSpec: CommandSpec = {
  name: 'tenants',
  summary:
    'The tenants table of a many-tenant deployment (TENANTS_SOURCE=table): list it, or import a JSON file\n' +
    'of tenants (the TENANTS format), checked like the deployment checks it before anything is written.',
  positionals: {
    args: [
      { name: 'verb', help: `${VERBS.join(' | ')} (default: list)` },
      { name: 'file', help: 'import: a JSON file, an array of {"id","name","settings"}' },
    ],
    required: 0,
  },
  flags: { json: { type: 'boolean', help: 'print JSON to stdout' } },
};

interface FileTenant {
  readonly id: string;
  readonly name: string;
  readonly settings: unknown;
}

export async function tenantsCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const verb = (str(flags, 'verb') ?? 'list') as Verb;
  if (!(VERBS as readonly string[]).includes(verb))
    throw new UsageError(`tenants: unknown <verb> "${terminalText(verb.slice(0, 40))}": expected ${VERBS.join(', ')}`);
  if (!storageConfigured(env))
    throw new UsageError(
      "tenants: the tenants table is in the deployment's Table Storage: set STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT",
    );
  const settings = { ...env, TENANTS: undefined, TENANTS_SOURCE: 'table' };
  if (verb === 'list') {
    let rows: readonly TenantRow[] = [];
    await loadDeploymentWithTable(
      settings,
      async (base) => (rows = await readTenantRows(tenantsTableClient(base))),
    ).catch(
      () => undefined, // list shows the rows as they are, good or bad
    );
    const shown = rows.map((r) => ({
      id: r.rowKey,
      name: typeof r.name === 'string' ? r.name : '',
      overrides: overrideKeys(r.settings),
    }));
    if (bool(flags, 'json')) process.stdout.write(`${terminalJson(shown, 2)}\n`);
    else if (shown.length === 0) process.stdout.write('The tenants table lists no tenant.\n');
    else
      process.stdout.write(
        `${table(
          ['tenant id', 'name', 'overrides'],
          shown.map((t) => [t.id, t.name, t.overrides.join(', ') || '—']),
        )}\n`,
      );
    return EXIT.ok;
  }
  const file = str(flags, 'file');
  if (file === undefined) throw new UsageError('tenants import: missing <file>');
  const tenants = readTenantsFile(file);
  // Checked as the deployment will read it; a ConfigError lists every problem and nothing is written.
  const rows: TenantRow[] = tenants.map((t) => ({ rowKey: t.id, name: t.name, settings: JSON.stringify(t.settings) }));
  let written: { written: number; removed: number } | null = null;
  await loadDeploymentWithTable(settings, () => Promise.resolve(rows)).then(async (deployment) => {
    written = await writeTenantRows(tenantsTableClient(deployment.base), tenants);
  });
  const result = written ?? { written: 0, removed: 0 };
  if (bool(flags, 'json')) process.stdout.write(`${terminalJson(result, 2)}\n`);
  else
    process.stdout.write(
      `${result.written} tenant(s) written, ${result.removed} removed. The app reads the table again within 5 minutes.\n`,
    );
  return EXIT.ok;
}

function readTenantsFile(path: string): FileTenant[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new UsageError(`tenants import: ${terminalText(path.slice(0, 200))} ${why}`);
  }
  if (!Array.isArray(json))
    throw new UsageError('tenants import: the file holds a JSON array of {"id","name","settings"}');
  // Shapes are checked by the deployment's own rules below; here only what a row needs to be written.
  return json.map((item: unknown, i) => {
    const o = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const extra = Object.keys(o).filter((k) => !['id', 'name', 'settings'].includes(k));
    if (extra.length > 0)
      throw new UsageError(
        `tenants import: [${i}] has unknown field(s) ${terminalText(extra.join(', ').slice(0, 200))}`,
      );
    if (typeof o['id'] !== 'string') throw new UsageError(`tenants import: [${i}].id is required (the tenant id)`);
    return { id: o['id'], name: typeof o['name'] === 'string' ? o['name'] : '', settings: o['settings'] ?? {} };
  });
}

function overrideKeys(settings: unknown): string[] {
  if (typeof settings !== 'string' || settings === '') return [];
  try {
    const parsed = JSON.parse(settings) as unknown;
    return typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).sort() : ['(not an object)'];
  } catch {
    return ['(not valid JSON)'];
  }
}
