import { z } from 'zod';

import { ACTION_MODULES } from '../core/actions/index.js';
import { MIN_SIGNING_KEY_LENGTH } from '../core/approvals/index.js';
import { ACTIONS, MODES, SEVERITIES } from '../core/model/index.js';
import { webhookSigningKey } from '../core/alerts/signature.js';
import { SYNC_DEFAULTS } from '../core/policy/types.js';
import { ncrontabProblem } from './ncrontab.js';
import { storageConnectionStringProblems } from './storage-connection-string.js';

// The whole environment contract in one place. Every key here is documented in README.md (Configuration)
// and set by infra/ (a test cross-checks both). Secrets are marked so errors never echo their values.

export const SECRET_KEYS = new Set([
  'GRAPH_TOKEN',
  'AZURE_CLIENT_SECRET',
  'STORAGE_CONNECTION_STRING',
  'ServiceBusConnection',
  'TEAMS_WORKFLOW_URL',
  'WEBHOOK_URL',
  'WEBHOOK_SECRET',
  'APPROVAL_SIGNING_KEY',
  // Its entries' settings may carry webhook URLs, secrets and tokens.
  'TENANTS',
]);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const ncrontab = z.string().superRefine((v, ctx) => {
  const problem = ncrontabProblem(v);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

const devicePrepGroups = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON array of {"groupId","policyName","policyId"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z.object({
          groupId: z.string().uuid('groupId must be a GUID'),
          policyName: z.string().min(1, 'policyName is required'),
          // The device preparation policy's id (a configurationPolicies id). Nothing is written to the group until
          // this policy's enrollment-time device membership target is read and found to be the group.
          policyId: z.string().uuid('policyId must be a GUID').optional(),
        }),
      )
      .refine((gs) => new Set(gs.map((g) => g.groupId.toLowerCase())).size === gs.length, 'duplicate groupId'),
  );

const actionList = z.string().transform((raw, ctx) => {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((a) => !(ACTIONS as readonly string[]).includes(a));
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown action(s) ${bad.join(', ')}; expected any of ${ACTIONS.join(', ')}`,
    });
    return z.NEVER;
  }
  return items as (typeof ACTIONS)[number][];
});

/** "allow-next-enrollment=enforce,autopilot-sync=plan" */
const actionModes = z.string().transform((raw, ctx) => {
  const out: Partial<Record<(typeof ACTIONS)[number], (typeof MODES)[number]>> = {};
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [action, mode] = part.split('=').map((s) => s.trim());
    if (
      !action ||
      !(ACTIONS as readonly string[]).includes(action) ||
      !mode ||
      !(MODES as readonly string[]).includes(mode)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `bad entry "${part}"; expected action=mode with mode one of ${MODES.join('|')}`,
      });
      return z.NEVER;
    }
    out[action as (typeof ACTIONS)[number]] = mode as (typeof MODES)[number];
  }
  return out;
});

const httpsOrLoopbackUrl = z
  .string()
  .url('expected a URL')
  // zod 4 runs refinements even after .url() failed, so parse defensively here.
  .refine((u) => {
    if (!URL.canParse(u)) return true; // already reported by .url()
    const url = new URL(u);
    return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }, 'expected an https URL (plain http only for 127.0.0.1/localhost)');

/**
 * Issues whose message names what is wrong without quoting the value: shown even for a secret key (whose other
 * messages are replaced, since zod may quote what it received).
 */
export const SAFE_MESSAGE = { safeMessage: true } as const;

const storageConnectionString = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    for (const message of storageConnectionStringProblems(value))
      ctx.addIssue({ code: 'custom', message, params: SAFE_MESSAGE });
  });

const budget = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected WRITES/SECONDS, e.g. 100/20')
  .transform((v) => {
    const [n, s] = v.split('/').map(Number);
    return { max: n ?? 100, windowMs: (s ?? 20) * 1000 };
  });

export const envSchema = z.object({
  // Graph
  GRAPH_BASE_URL: httpsOrLoopbackUrl.default('https://graph.microsoft.com'),
  GRAPH_TOKEN: z.string().min(1).optional(),
  GRAPH_AUTH: z
    .enum(['auto', 'managed-identity', 'client-secret', 'certificate', 'azure-cli', 'static-token', 'federated'])
    .default('auto'),
  AZURE_TENANT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_SECRET: z.string().min(1).optional(),
  AZURE_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  MANAGED_IDENTITY_CLIENT_ID: z.string().min(1).optional(),
  GRAPH_WRITE_BUDGET: budget.default({ max: 100, windowMs: 20_000 }),
  GRAPH_MAX_RETRIES: int(0, 10).default(4),
  GRAPH_PAGE_CONCURRENCY: int(1, 16).default(4),
  GRAPH_BATCH_READS: bool.default(true),
  // Runaway paging (a service answering every page with a fresh nextLink) ends the read as truncated.
  // 10,000 pages: the smallest pages any list a sweep reads is served in are autopilotEvents' 50; a 300,000-device
  // tenant with one deployment per device in the 30 days Intune keeps events is 6,000 such pages, the rest is
  // headroom. Each device list (identities, Entra and managed devices, pages of 999–1,000) needs about 300.
  GRAPH_MAX_PAGES: int(10, 1_000_000).default(10_000),
  // 25 minutes a list read, retries included: the longest page chain of a 300,000-device sweep (~300 pages of
  // 1,000) at 5 s a page, and still inside the Functions host's 30-minute functionTimeout (host.json), so a
  // stuck read ends as a recorded TruncatedReadError rather than a killed invocation.
  GRAPH_READ_DEADLINE_SECONDS: int(10, 86_400).default(1_500),
  TENANT_NAME: z.string().min(1).default('default'),

  // Storage (our tables; the Functions host has its own AzureWebJobsStorage)
  STORAGE_CONNECTION_STRING: storageConnectionString.optional(),
  STORAGE_TABLE_ENDPOINT: z.string().url('expected https://<account>.table.core.windows.net').optional(),
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'letters and digits, starting with a letter, ≤ 20')
    .default('apm'),

  // Service Bus (same connection the queue trigger binds to)
  ServiceBusConnection: z.string().min(1).optional(),
  ServiceBusConnection__fullyQualifiedNamespace: z.string().min(1).optional(),
  REMEDIATION_QUEUE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,259}$/, 'lowercase Service Bus queue name')
    .default('remediation'),

  // Schedules
  POLL_SCHEDULE: ncrontab.default('0 */5 * * * *'),
  COMPLIANCE_SCHEDULE: ncrontab.default('0 30 5 * * *'),

  // Device preparation
  DEVICE_PREP_GROUPS: devicePrepGroups.default([]),

  // Remediation policy
  REMEDIATION_MODE: z.enum(MODES).default('plan'),
  // A new action is on by default only when its module says so (core/actions/<name>.ts: enabledByDefault).
  REMEDIATION_ACTIONS: actionList.default(ACTIONS.filter((a) => ACTION_MODULES[a].enabledByDefault)),
  REMEDIATION_ACTION_MODES: actionModes.default({}),
  BLAST_RADIUS_MAX_DEVICES: int(1, 100_000).default(50),
  BLAST_RADIUS_MAX_PERCENT: z.coerce.number().min(0.1).max(100).default(10),
  // The percentage limit counts only above this many targets: on a 6-device tenant, 2 blocked devices are 33 %.
  BLAST_RADIUS_MIN_DEVICES: int(0, 100_000).default(5),
  DEVICE_COOLDOWN_MINUTES: int(0, 10_080).default(60),
  MAX_ATTEMPTS_PER_DAY: int(1, 100).default(3),
  UNBLOCK_REQUIRES_FAILURE_EVENT: bool.default(true),
  // At most one sync per 10 minutes is possible (144 a day); the caps keep a cause a sync cannot fix from using them.
  SYNC_MAX_PER_FINDING_PER_DAY: int(1, 24).default(SYNC_DEFAULTS.maxPerFindingPerDay),
  SYNC_MAX_PER_DAY: int(1, 144).default(SYNC_DEFAULTS.maxPerDay),
  SYNC_ON_PROFILE_OUT_OF_SYNC: bool.default(SYNC_DEFAULTS.onProfileOutOfSync),
  CLAIM_TTL_SECONDS: int(30, 3600).default(600),

  // Detection thresholds
  EVENT_OVERLAP_MINUTES: int(0, 1440).default(60),
  // Below the 4-hour mark at which the deployment report fails a deployment still in progress (so the rule can fire
  // at all), and past the ESP's default 60-minute time-out (Microsoft Learn "Windows Autopilot - known issues",
  // https://learn.microsoft.com/autopilot/known-issues; "Set up the Enrollment Status Page",
  // https://learn.microsoft.com/intune/intune-service/enrollment/windows-enrollment-status).
  DEPLOYMENT_STUCK_HOURS: int(1, 72).default(2),
  PROFILE_STUCK_HOURS: int(1, 720).default(24),
  IMPORT_VISIBLE_MINUTES: int(1, 1440).default(20),
  FIX_PENDING_ALERT_HOURS: int(1, 720).default(24),
  STALE_REGISTRATION_DAYS: int(1, 3650).default(180),
  CHECKIN_STALE_DAYS: int(1, 365).default(30),

  // Alerts
  TEAMS_WORKFLOW_URL: httpsOrLoopbackUrl.optional(),
  TEAMS_MIN_SEVERITY: z.enum(SEVERITIES).default('warning'),
  WEBHOOK_URL: httpsOrLoopbackUrl.optional(),
  // Standard Webhooks signing secret: `whsec_<base64>` or a raw printable-ASCII string (README, Alerts).
  WEBHOOK_SECRET: z
    .string()
    .superRefine((secret, ctx) => {
      const key = webhookSigningKey(secret);
      if ('error' in key) ctx.addIssue({ code: 'custom', message: key.error });
    })
    .optional(),
  WEBHOOK_MIN_SEVERITY: z.enum(SEVERITIES).default('info'),
  ALERT_COOLDOWN_HOURS: z.coerce.number().min(0).max(720).default(6),
  ALERT_DIGEST_THRESHOLD: int(1, 1000).default(5),
  INTUNE_PORTAL_URL: z.string().url().default('https://intune.microsoft.com'),

  // Approvals (destructive fixes a person approves: README, "Approving destructive fixes")
  // HMAC key of the review links' single-use tokens. Unset: proposals are still recorded and alerted, without a
  // link; they are decided with `autopilot-medic approvals approve|reject`.
  APPROVAL_SIGNING_KEY: z
    .string()
    .refine((k) => k.length >= MIN_SIGNING_KEY_LENGTH, {
      message: `at least ${MIN_SIGNING_KEY_LENGTH} characters`,
      params: SAFE_MESSAGE,
    })
    .optional(),
  // The app's public address, for the review links in alerts (e.g. https://<app>.azurewebsites.net).
  APPROVAL_BASE_URL: httpsOrLoopbackUrl.optional(),
  APPROVAL_EXPIRY_HOURS: int(1, 168).default(24),

  // Retention
  HISTORY_RETENTION_DAYS: int(1, 3650).default(365),
  REPORT_RETENTION_DAYS: int(1, 3650).default(90),

  // Many tenants (README, "Many tenants"): the list with per-tenant overrides, parsed by tenants.ts.
  TENANTS: z.string().min(1).optional(),
  // Where the tenants are listed: `setting` (TENANTS) or `table` (the `<TABLE_PREFIX>Tenants` table, for many).
  TENANTS_SOURCE: z.enum(['setting', 'table']).default('setting'),
  // Tenants run at once by one process, and devices in flight at once (each tenant weighs what its last full sweep
  // counted; one not yet swept weighs an eighth of the budget). The others wait their turn; none waits for another's
  // failure. 100,000 devices: about one 100,000-device sweep's memory (427 MB peak in `npm run bench`), well inside
  // a 2,048 MB Flex Consumption instance.
  TENANT_CONCURRENCY: int(1, 64).default(64),
  TENANT_DEVICE_BUDGET: int(1_000, 10_000_000).default(100_000),
  // The queue the timers fan out on: one message per tenant and run.
  TENANT_RUN_QUEUE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,259}$/, 'lowercase Service Bus queue name')
    .default('tenant-runs'),

  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
