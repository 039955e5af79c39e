import type { ActionName, Mode, Severity } from '../core/model/index.js';
import { ACTIONS } from '../core/model/index.js';
import type { PolicySettings } from '../core/policy/types.js';
import { type Env, envSchema, SECRET_KEYS } from './env-schema.js';

// The only reader of the environment (callers pass process.env in). Validation is total: every bad or
// missing key is collected and reported in ONE ConfigError, and secret values are never echoed.

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export type GraphAuth =
  | { readonly kind: 'static-token'; readonly token: string }
  | { readonly kind: 'managed-identity'; readonly clientId: string | null }
  | { readonly kind: 'client-secret'; readonly tenantId: string; readonly clientId: string; readonly secret: string }
  | {
      readonly kind: 'certificate';
      readonly tenantId: string;
      readonly clientId: string;
      readonly certificatePath: string;
    }
  | { readonly kind: 'azure-cli'; readonly tenantId: string | null }
  | {
      /**
       * A multi-tenant app registration (clientId) whose only credential is a federated identity credential that
       * trusts this deployment's managed identity: no secret anywhere. tenantId is the customer tenant the token is
       * for; managedIdentityClientId the user-assigned identity (null = system-assigned).
       */
      readonly kind: 'federated';
      readonly tenantId: string;
      readonly clientId: string;
      readonly managedIdentityClientId: string | null;
    };

export type StorageConfig =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly tableEndpoint: string; readonly clientId: string | null }
  | { readonly kind: 'none' };

export type QueueConfig =
  | { readonly kind: 'servicebus-connection-string'; readonly connectionString: string; readonly queue: string }
  | {
      readonly kind: 'servicebus-identity';
      readonly namespace: string;
      readonly clientId: string | null;
      readonly queue: string;
    }
  | { readonly kind: 'in-process'; readonly queue: string };

/** The policy knobs: core owns the shape (core may not import config), config fills it from the environment. */
export type PolicyConfig = PolicySettings;

export interface AppConfig {
  readonly env: Env;
  readonly tenant: string;
  readonly graph: { readonly baseUrl: string; readonly auth: GraphAuth; readonly isMicrosoftGraph: boolean };
  readonly storage: StorageConfig;
  readonly queue: QueueConfig;
  readonly policy: PolicyConfig;
  readonly devicePrepGroups: readonly {
    readonly groupId: string;
    readonly policyName: string;
    readonly policyId?: string;
  }[];
  readonly alerts: {
    readonly teams: { readonly url: string; readonly minSeverity: Severity } | null;
    readonly webhook: { readonly url: string; readonly secret: string; readonly minSeverity: Severity } | null;
    readonly cooldownMs: number;
    readonly digestThreshold: number;
    readonly portalUrl: string;
  };
  readonly approvals: {
    /** HMAC key of the review links' tokens; null = proposals carry no link. */
    readonly signingKey: string | null;
    /** The app's public address the review links start with; null = no link. */
    readonly baseUrl: string | null;
    readonly expiryMs: number;
  };
}

export function loadConfig(source: Readonly<Record<string, string | undefined>>): AppConfig {
  // Empty strings count as unset: app settings are often present but blank.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      // Nested paths (e.g. DEVICE_PREP_GROUPS[0].groupId) say which element is wrong.
      const inner = issue.path
        .slice(1)
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('');
      const safe = issue.code === 'custom' && issue.params?.['safeMessage'] === true;
      const message = safe ? issue.message : describeIssue(key, issue.message, issue.code);
      problems.push({ key, message: inner ? `${inner.replace(/^\./, '')}: ${message}` : message });
    }
  }
  // Cross-field rules need the fields that did parse; check them on the raw values too.
  problems.push(...crossFieldProblems(raw));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(dedupe(problems));
  return toAppConfig(parsed.data);
}

function describeIssue(key: string, message: string, code: string): string {
  // zod may quote the received value; never let a secret reach the message.
  if (SECRET_KEYS.has(key)) return code === 'invalid_type' ? 'is required' : 'is invalid (value not shown)';
  return message;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function crossFieldProblems(raw: Record<string, string | undefined>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const need = (key: string, why: string) => {
    if (!raw[key]) out.push({ key, message: `is required ${why}` });
  };
  const auth = raw.GRAPH_AUTH ?? 'auto';
  if (auth === 'static-token') need('GRAPH_TOKEN', 'when GRAPH_AUTH=static-token');
  if (auth === 'client-secret') {
    for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'])
      need(k, 'when GRAPH_AUTH=client-secret');
  }
  if (auth === 'certificate') {
    for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_CERTIFICATE_PATH'])
      need(k, 'when GRAPH_AUTH=certificate');
  }
  if (auth === 'federated') {
    // GUIDs only: the tenant id and the app id end up in the admin-consent link the health check prints.
    for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID']) {
      need(k, 'when GRAPH_AUTH=federated');
      const v = raw[k];
      if (v && !GUID.test(v)) out.push({ key: k, message: 'must be a GUID when GRAPH_AUTH=federated' });
    }
    const mi = raw.MANAGED_IDENTITY_CLIENT_ID;
    if (mi && !GUID.test(mi)) {
      out.push({ key: 'MANAGED_IDENTITY_CLIENT_ID', message: "must be a GUID (the identity's client id)" });
    }
  }
  if (raw.WEBHOOK_URL && !raw.WEBHOOK_SECRET) need('WEBHOOK_SECRET', 'when WEBHOOK_URL is set (payloads are signed)');
  if (raw.STORAGE_CONNECTION_STRING && raw.STORAGE_TABLE_ENDPOINT) {
    out.push({
      key: 'STORAGE_TABLE_ENDPOINT',
      message: 'set either STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT, not both',
    });
  }
  return out;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.key}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function resolveAuth(env: Env): GraphAuth {
  const choice = env.GRAPH_AUTH === 'auto' ? autoAuth(env) : env.GRAPH_AUTH;
  switch (choice) {
    case 'static-token':
      return { kind: 'static-token', token: env.GRAPH_TOKEN ?? '' };
    case 'client-secret':
      return {
        kind: 'client-secret',
        tenantId: env.AZURE_TENANT_ID ?? '',
        clientId: env.AZURE_CLIENT_ID ?? '',
        secret: env.AZURE_CLIENT_SECRET ?? '',
      };
    case 'certificate':
      return {
        kind: 'certificate',
        tenantId: env.AZURE_TENANT_ID ?? '',
        clientId: env.AZURE_CLIENT_ID ?? '',
        certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH ?? '',
      };
    case 'azure-cli':
      return { kind: 'azure-cli', tenantId: env.AZURE_TENANT_ID ?? null };
    case 'federated':
      return {
        kind: 'federated',
        tenantId: env.AZURE_TENANT_ID ?? '',
        clientId: env.AZURE_CLIENT_ID ?? '',
        managedIdentityClientId: env.MANAGED_IDENTITY_CLIENT_ID ?? null,
      };
    default:
      return { kind: 'managed-identity', clientId: env.MANAGED_IDENTITY_CLIENT_ID ?? null };
  }
}

/**
 * auto: a static token wins, then a client secret, then a certificate, then managed identity. Never federated: an
 * AZURE_CLIENT_ID next to a managed identity is ambiguous (Azure SDKs read it as the identity's own client id), so
 * the federated mode is chosen only by GRAPH_AUTH=federated.
 */
function autoAuth(env: Env): Exclude<Env['GRAPH_AUTH'], 'auto' | 'federated'> {
  if (env.GRAPH_TOKEN) return 'static-token';
  if (env.AZURE_CLIENT_SECRET && env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID) return 'client-secret';
  if (env.AZURE_CLIENT_CERTIFICATE_PATH && env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID) return 'certificate';
  return 'managed-identity';
}

function toAppConfig(env: Env): AppConfig {
  const actionModes = Object.fromEntries(
    ACTIONS.map((a) => [
      a,
      env.REMEDIATION_ACTIONS.includes(a) ? (env.REMEDIATION_ACTION_MODES[a] ?? env.REMEDIATION_MODE) : 'off',
    ]),
  ) as Record<ActionName, Mode>;
  const queueName = env.REMEDIATION_QUEUE;
  const queue: QueueConfig = env.ServiceBusConnection
    ? { kind: 'servicebus-connection-string', connectionString: env.ServiceBusConnection, queue: queueName }
    : env.ServiceBusConnection__fullyQualifiedNamespace
      ? {
          kind: 'servicebus-identity',
          namespace: env.ServiceBusConnection__fullyQualifiedNamespace,
          clientId: env.MANAGED_IDENTITY_CLIENT_ID ?? null,
          queue: queueName,
        }
      : { kind: 'in-process', queue: queueName };
  const storage: StorageConfig = env.STORAGE_CONNECTION_STRING
    ? { kind: 'connection-string', connectionString: env.STORAGE_CONNECTION_STRING }
    : env.STORAGE_TABLE_ENDPOINT
      ? {
          kind: 'identity',
          tableEndpoint: env.STORAGE_TABLE_ENDPOINT,
          clientId: env.MANAGED_IDENTITY_CLIENT_ID ?? null,
        }
      : { kind: 'none' };
  const baseUrl = env.GRAPH_BASE_URL.replace(/\/+$/, '');
  return {
    env,
    tenant: env.TENANT_NAME,
    graph: { baseUrl, auth: resolveAuth(env), isMicrosoftGraph: new URL(baseUrl).hostname === 'graph.microsoft.com' },
    storage,
    queue,
    policy: {
      defaultMode: env.REMEDIATION_MODE,
      enabledActions: env.REMEDIATION_ACTIONS,
      actionModes,
      blastRadiusMaxDevices: env.BLAST_RADIUS_MAX_DEVICES,
      blastRadiusMaxPercent: env.BLAST_RADIUS_MAX_PERCENT,
      blastRadiusMinDevices: env.BLAST_RADIUS_MIN_DEVICES,
      cooldownMs: env.DEVICE_COOLDOWN_MINUTES * 60_000,
      maxAttemptsPerDay: env.MAX_ATTEMPTS_PER_DAY,
      unblockRequiresFailureEvent: env.UNBLOCK_REQUIRES_FAILURE_EVENT,
      syncMaxPerFindingPerDay: env.SYNC_MAX_PER_FINDING_PER_DAY,
      syncMaxPerDay: env.SYNC_MAX_PER_DAY,
      syncOnProfileOutOfSync: env.SYNC_ON_PROFILE_OUT_OF_SYNC,
    },
    devicePrepGroups: env.DEVICE_PREP_GROUPS,
    alerts: {
      teams: env.TEAMS_WORKFLOW_URL ? { url: env.TEAMS_WORKFLOW_URL, minSeverity: env.TEAMS_MIN_SEVERITY } : null,
      webhook:
        env.WEBHOOK_URL && env.WEBHOOK_SECRET
          ? { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET, minSeverity: env.WEBHOOK_MIN_SEVERITY }
          : null,
      cooldownMs: env.ALERT_COOLDOWN_HOURS * 3_600_000,
      digestThreshold: env.ALERT_DIGEST_THRESHOLD,
      portalUrl: env.INTUNE_PORTAL_URL.replace(/\/+$/, ''),
    },
    approvals: {
      signingKey: env.APPROVAL_SIGNING_KEY ?? null,
      baseUrl: env.APPROVAL_BASE_URL?.replace(/\/+$/, '') ?? null,
      expiryMs: env.APPROVAL_EXPIRY_HOURS * 3_600_000,
    },
  };
}

/** The process environment, read here and nowhere else. */
export function loadConfigFromProcessEnv(): AppConfig {
  return loadConfig(process.env);
}
