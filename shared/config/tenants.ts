import { z } from 'zod';

import { MODES, type Mode } from '../core/model/index.js';
import { type AppConfig, ConfigError, type ConfigProblem, loadConfig } from './config.js';
import { envSchema } from './env-schema.js';

// Many tenants from one deployment. `TENANTS` (a JSON array, a secret: its settings may carry webhook URLs and
// tokens) lists the customer tenants; each entry may override any per-tenant setting. Every tenant's configuration
// is the deployment's environment with its overrides applied, validated by the same schema as a single tenant's, so
// a bad override is reported exactly like a bad app setting, under `TENANTS[i].settings.KEY`.
// Without `TENANTS`, the deployment serves one tenant exactly as before (TENANT_NAME, the same tables).

/** Settings that belong to the deployment, not a tenant: where it stores, queues and runs, and who it is. */
export const DEPLOYMENT_ONLY_SETTINGS: ReadonlySet<string> = new Set([
  'TENANTS',
  'TENANTS_SOURCE',
  'TENANT_CONCURRENCY',
  'TENANT_DEVICE_BUDGET',
  'TENANT_RUN_QUEUE',
  'TENANT_NAME',
  'GRAPH_BASE_URL',
  'GRAPH_AUTH',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'MANAGED_IDENTITY_CLIENT_ID',
  'STORAGE_CONNECTION_STRING',
  'STORAGE_TABLE_ENDPOINT',
  'TABLE_PREFIX',
  'ServiceBusConnection',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'REMEDIATION_QUEUE',
  'POLL_SCHEDULE',
  'COMPLIANCE_SCHEDULE',
  'APPROVAL_SIGNING_KEY',
  'APPROVAL_BASE_URL',
  'LOG_LEVEL',
]);

/** One tenant the deployment serves. */
export interface TenantProfile {
  /** The tenant everywhere the app names one (commands, alerts, idempotency keys): its Entra id, or TENANT_NAME. */
  readonly key: string;
  /** The Entra tenant id (lower-case GUID), or null for a single tenant configured without one. */
  readonly id: string | null;
  /** What people read: the configured display name (escaped wherever it is shown). */
  readonly name: string;
  /** The tenant's own tables: `<TABLE_PREFIX><id without dashes><Table>`; the single tenant keeps TABLE_PREFIX. */
  readonly tablePrefix: string;
  /** The deployment's configuration with this tenant's overrides applied. */
  readonly config: AppConfig;
}

export interface Deployment {
  /** True when `TENANTS` is configured (even with one entry): per-tenant tables, fan-out, the overview. */
  readonly multiTenant: boolean;
  /** The deployment's own configuration (storage, queues, schedules). */
  readonly base: AppConfig;
  readonly tenants: readonly TenantProfile[];
  /** How many tenants run at once in one process (TENANT_CONCURRENCY). */
  readonly concurrency: number;
  /** How many devices the tenants running at once in one process may hold together (TENANT_DEVICE_BUDGET). */
  readonly deviceBudget: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A display name is configuration, but it lands in alerts, pages and table rows: printable, short, no markup.
// Bidirectional controls and line/paragraph separators are refused too: a name that reorders itself on screen could
// pass for another tenant's in the overview.
// eslint-disable-next-line no-control-regex -- control characters are exactly what a display name may not hold
const DISPLAY_NAME = /^[^\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069<>`*_[\]|\\]{1,64}$/u;

/** At most this many tenants in `TENANTS`: an app setting is not a database. */
export const MAX_TENANTS = 500;
/**
 * A tenants-table row's settings are one string property: Table Storage holds at most 64 KiB in one (32,000 UTF-16
 * characters, as every table text of ours). "Understanding the Table service data model", Property types,
 * https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
 */
export const MAX_TENANT_SETTINGS_CHARS = 32_000;

const settingValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

const entrySchema = z
  .object({
    id: z.string().regex(GUID, 'id must be the tenant id (a GUID)'),
    name: z
      .string()
      .regex(DISPLAY_NAME, 'name: 1–64 printable characters, no markup (< > ` * _ [ ] | \\) and no direction controls'),
    settings: z.record(z.string(), settingValue).default({}),
  })
  .strict();

const listSchema = z
  .array(z.unknown())
  .min(1, 'list at least one tenant')
  .max(MAX_TENANTS, `at most ${MAX_TENANTS} tenants`);

/** The environment as the schema reads it: an unset key and an empty one are the same. */
function present(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

/**
 * Read the deployment: one tenant the old way, or every tenant of `TENANTS`. Every problem, in the base settings
 * and in every tenant's entry and overrides, is collected into one ConfigError.
 */
export function loadDeployment(source: Readonly<Record<string, string | undefined>>): Deployment {
  const env = present(source);
  if (env['TENANTS_SOURCE'] === 'table')
    throw new Error('internal: TENANTS_SOURCE=table: read the tenants table first (loadDeploymentWithTable)');
  return deploymentOf(env, env['TENANTS'] === undefined ? null : { kind: 'setting', raw: env['TENANTS'] });
}

/** A row of the tenants table (`<TABLE_PREFIX>Tenants`): RowKey = the tenant id, `name`, `settings` (JSON text). */
export interface TenantRow {
  readonly rowKey: string;
  readonly name: unknown;
  readonly settings: unknown;
}

/**
 * Read the deployment when its tenants may live in the tenants table (TENANTS_SOURCE=table): `readRows` is asked
 * for the rows with the deployment's own configuration (its storage) once that has been validated.
 */
export async function loadDeploymentWithTable(
  source: Readonly<Record<string, string | undefined>>,
  readRows: (base: AppConfig) => Promise<readonly TenantRow[]>,
): Promise<Deployment> {
  const env = present(source);
  if (env['TENANTS_SOURCE'] !== 'table') return loadDeployment(env);
  if (env['TENANTS'] !== undefined)
    throw new ConfigError([{ key: 'TENANTS', message: 'set TENANTS or TENANTS_SOURCE=table, not both' }]);
  const base = loadConfig(deploymentEnv(env)); // its problems are the deployment's: reported as they are
  return deploymentOf(env, { kind: 'table', rows: await readRows(base) });
}

type TenantList =
  { readonly kind: 'setting'; readonly raw: string } | { readonly kind: 'table'; readonly rows: readonly TenantRow[] };

function deploymentOf(env: Record<string, string>, list: TenantList | null): Deployment {
  if (list === null) {
    const base = loadConfig(env);
    return {
      multiTenant: false,
      base,
      concurrency: base.env.TENANT_CONCURRENCY,
      deviceBudget: base.env.TENANT_DEVICE_BUDGET,
      tenants: [
        {
          key: base.tenant,
          id:
            base.env.AZURE_TENANT_ID !== undefined && GUID.test(base.env.AZURE_TENANT_ID)
              ? base.env.AZURE_TENANT_ID.toLowerCase()
              : null,
          name: base.tenant,
          tablePrefix: base.env.TABLE_PREFIX,
          config: base,
        },
      ],
    };
  }
  const problems: ConfigProblem[] = [];
  let base: AppConfig | null = null;
  let baseProblems: readonly ConfigProblem[] = [];
  try {
    base = loadConfig(deploymentEnv(env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    baseProblems = err.problems;
    problems.push(...baseProblems);
  }
  const entries = list.kind === 'setting' ? parseEntries(list.raw, problems) : entriesOfRows(list.rows, problems);
  const tenants: TenantProfile[] = [];
  const label = list.kind === 'setting' ? settingLabel : rowsLabel(list.rows);
  for (const [index, entry] of entries) {
    // Every entry's settings are checked even when a deployment setting is bad: one error lists everything.
    const { overrides, named } = overridesOf(entry, label(index), problems);
    const config = tenantConfig(env, entry, overrides, label(index), problems, baseProblems);
    if (base === null || !named || config === null) continue;
    const profile = tenantProfile(base, config, entry, overrides, label(index), problems);
    if (profile !== null) tenants.push(profile);
  }
  if (problems.length > 0 || base === null) throw new ConfigError(problems);
  return {
    multiTenant: true,
    base,
    tenants,
    concurrency: base.env.TENANT_CONCURRENCY,
    deviceBudget: base.env.TENANT_DEVICE_BUDGET,
  };
}

/** Placeholder tenant of the deployment's own configuration, which never reaches Graph. */
const NO_TENANT = '00000000-0000-0000-0000-000000000000';

/**
 * The deployment's own settings, validated once. The credential is per tenant (each entry's id, and with static
 * tokens each entry's GRAPH_TOKEN), so the deployment's configuration does not need one of its own.
 */
function deploymentEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...env, AZURE_TENANT_ID: env['AZURE_TENANT_ID'] ?? NO_TENANT };
  if (env['GRAPH_AUTH'] === 'static-token' && env['GRAPH_TOKEN'] === undefined) out['GRAPH_TOKEN'] = 'per-tenant';
  return out;
}

type Entry = z.infer<typeof entrySchema>;

/** Where a tenant came from, in problem keys: `TENANTS[2]`, or the tenants table's row `Tenants[<id>]`. */
type Label = (index: number) => string;
const settingLabel: Label = (index) => `TENANTS[${index}]`;

function entriesOfRows(rows: readonly TenantRow[], problems: ConfigProblem[]): [number, Entry][] {
  if (rows.length === 0) {
    problems.push({ key: 'TENANTS_SOURCE', message: 'the tenants table lists no tenant' });
    return [];
  }
  const items: unknown[] = [];
  rows.forEach((row, index) => {
    if (typeof row.settings === 'string' && row.settings.length > MAX_TENANT_SETTINGS_CHARS)
      problems.push({
        key: `${rowLabel(row)}.settings`,
        message: `is ${row.settings.length} characters of JSON; a tenant's settings are at most ${MAX_TENANT_SETTINGS_CHARS} (one table property)`,
      });
    let settings: unknown = {};
    if (typeof row.settings === 'string' && row.settings !== '') {
      try {
        settings = JSON.parse(row.settings);
      } catch {
        problems.push({ key: `${rowLabel(row)}.settings`, message: 'is not valid JSON (expected an object)' });
        settings = {};
      }
    } else if (row.settings !== undefined && row.settings !== null && row.settings !== '') settings = row.settings;
    items[index] = { id: row.rowKey, name: row.name, settings };
  });
  return checkEntries(items, rowsLabel(rows), problems);
}

function rowsLabel(rows: readonly TenantRow[]): Label {
  const labels = rows.map(rowLabel);
  return (index) => labels[index] ?? `Tenants[${index}]`;
}

/** The row's key as configuration shows it: a GUID as it is, anything else quoted as JSON and cut short. */
function rowLabel(row: TenantRow): string {
  const key = GUID.test(row.rowKey) ? row.rowKey : JSON.stringify(row.rowKey.slice(0, 40));
  return `Tenants[${key}]`;
}

function parseEntries(raw: string, problems: ConfigProblem[]): [number, Entry][] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // The value is a secret (it may carry webhook URLs): say what is wrong, never quote it.
    problems.push({ key: 'TENANTS', message: 'is not valid JSON (expected an array of {"id","name","settings"})' });
    return [];
  }
  return checkEntries(json, settingLabel, problems);
}

/**
 * A display name as a reader compares it: compatibility forms folded (full-width letters), characters that show
 * nothing dropped (zero-width space and joiners, soft hyphen, byte-order mark: Unicode's default-ignorable code
 * points), case and spacing ignored.
 */
function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The list's entries that are well formed, each with its position; the problems of the others. */
function checkEntries(json: unknown, label: Label, problems: ConfigProblem[]): [number, Entry][] {
  const list = listSchema.safeParse(json);
  if (!list.success) {
    problems.push({ key: 'TENANTS', message: list.error.issues[0]?.message ?? 'expected an array' });
    return [];
  }
  const out: [number, Entry][] = [];
  const seen = new Map<string, number>();
  const names = new Map<string, number>();
  list.data.forEach((item, index) => {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
        // zod's own messages may quote what it received; the entry's own messages above do not.
        const message =
          issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
        problems.push({ key: `${label(index)}${path}`, message });
      }
      return;
    }
    const id = parsed.data.id.toLowerCase();
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ key: `${label(index)}.id`, message: `the same tenant as ${label(first)}` });
      return;
    }
    // Alerts, cards and the overview name a tenant by its display name: two names a reader cannot tell apart would
    // send a person to fix (or approve a deletion in) the wrong customer's tenant.
    const name = nameKey(parsed.data.name);
    const sameName = names.get(name);
    if (sameName !== undefined) {
      problems.push({
        key: `${label(index)}.name`,
        message: `the same name as ${label(sameName)} (names must tell tenants apart)`,
      });
      return;
    }
    seen.set(id, index);
    names.set(name, index);
    out.push([index, { ...parsed.data, id }]);
  });
  return out;
}

/**
 * The entry's per-tenant settings as app-setting strings; `named` is false (and its problems listed) when one of its
 * names is no per-tenant setting. The others are still returned so that their values are checked too.
 */
function overridesOf(
  entry: Entry,
  where: string,
  problems: ConfigProblem[],
): { readonly overrides: Record<string, string>; readonly named: boolean } {
  const overrides: Record<string, string> = {};
  let bad = false;
  for (const [key, value] of Object.entries(entry.settings)) {
    if (!Object.hasOwn(envSchema.shape, key)) {
      problems.push({ key: `${where}.settings.${key}`, message: 'is not a setting' });
      bad = true;
    } else if (DEPLOYMENT_ONLY_SETTINGS.has(key)) {
      problems.push({
        key: `${where}.settings.${key}`,
        message: 'belongs to the deployment and cannot be set per tenant',
      });
      bad = true;
    } else overrides[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { overrides, named: !bad };
}

/** The tenant's configuration: the deployment's settings with its overrides, or null and the problems of its own. */
function tenantConfig(
  env: Record<string, string>,
  entry: Entry,
  overrides: Record<string, string>,
  at: string,
  problems: ConfigProblem[],
  baseProblems: readonly ConfigProblem[],
): AppConfig | null {
  try {
    // The tenant's id is its name everywhere and the tenant its credential asks a token for.
    return ownModes(loadConfig({ ...env, ...overrides, TENANT_NAME: entry.id, AZURE_TENANT_ID: entry.id }), overrides);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) {
      if (Object.hasOwn(overrides, p.key)) problems.push({ key: `${at}.settings.${p.key}`, message: p.message });
      // A deployment setting's problem is already reported once, under its own key.
      else if (!baseProblems.some((b) => b.key === p.key && b.message === p.message))
        problems.push({ key: `${at} (${p.key})`, message: p.message });
    }
    return null;
  }
}

/**
 * A tenant that sets its own REMEDIATION_MODE (and not its own REMEDIATION_ACTION_MODES) gets no action in a
 * stronger mode than that: the deployment's per-action modes are a default for every tenant, and applied as they
 * are, `allow-next-enrollment=enforce` on the deployment would write to a customer whose settings say `plan` (one
 * being onboarded, one that asked for no writes). A stricter per-action mode of the deployment still holds.
 */
function ownModes(config: AppConfig, overrides: Record<string, string>): AppConfig {
  if (overrides['REMEDIATION_MODE'] === undefined || overrides['REMEDIATION_ACTION_MODES'] !== undefined) return config;
  const cap = config.policy.defaultMode;
  const stricter = (m: Mode): Mode => (MODES.indexOf(m) <= MODES.indexOf(cap) ? m : cap);
  const actionModes = Object.fromEntries(
    Object.entries(config.policy.actionModes).map(([action, mode]) => [action, stricter(mode)]),
  ) as AppConfig['policy']['actionModes'];
  return { ...config, policy: { ...config.policy, actionModes } };
}

function tenantProfile(
  base: AppConfig,
  config: AppConfig,
  entry: Entry,
  overrides: Record<string, string>,
  at: string,
  problems: ConfigProblem[],
): TenantProfile | null {
  const where = (key: string) => `${at}.settings.${key}`;
  const auth = config.graph.auth.kind;
  if (auth === 'managed-identity') {
    problems.push({
      key: `${at} (GRAPH_AUTH)`,
      message: "a managed identity's token is for its own tenant only: set GRAPH_AUTH=federated (README, Many tenants)",
    });
    return null;
  }
  if (auth === 'static-token' && overrides['GRAPH_TOKEN'] === undefined) {
    // One bearer token reaches one tenant: a token shared by every entry would read one tenant's data for all.
    problems.push({ key: where('GRAPH_TOKEN'), message: 'is required for each tenant when GRAPH_AUTH=static-token' });
    return null;
  }
  return {
    key: entry.id,
    id: entry.id,
    name: entry.name,
    tablePrefix: `${base.env.TABLE_PREFIX}${entry.id.replace(/-/g, '')}`,
    config,
  };
}
