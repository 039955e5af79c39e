import { loadDeployment, type TenantProfile } from '../shared/config/index.js';
import { UsageError, type FlagSpec } from './args.js';
import { terminalText } from './output/terminal.js';

// `--tenant ID`: which tenant of a many-tenant deployment (TENANTS) a command reads and acts on, with that tenant's
// configuration (its overrides applied) and its own tables (`<TABLE_PREFIX><id without dashes>…`), exactly as the
// Functions app runs it. A command never picks a tenant by itself: with several configured, the wrong default would
// show or change one customer's devices while the operator believed they were looking at another's.

export const TENANT_FLAG: FlagSpec = {
  type: 'string',
  value: 'ID',
  help: 'the tenant (its id) when TENANTS lists several; without TENANTS, only the configured TENANT_NAME',
};

/** The configured tenants, one a line, for an error message (names are configuration; escaped all the same). */
function tenantList(tenants: readonly TenantProfile[]): string {
  return tenants.map((t) => `  ${terminalText(t.key)}  ${terminalText(t.name)}`).join('\n');
}

/**
 * The tenant of a many-tenant deployment a command runs against, or null when TENANTS is not configured (the single
 * tenant, configured as before; `checkSingleTenant` then checks a `--tenant` once its name is known). Throws
 * UsageError (exit 2) for a missing or unknown `--tenant`, ConfigError for a bad TENANTS.
 */
export function tenantProfileOf(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  requested: string | undefined,
  embedded: boolean,
): TenantProfile | null {
  if (!env.TENANTS) return null;
  if (embedded)
    throw new UsageError(
      `${command}: TENANTS is set, but no Graph endpoint or credential is: the embedded default (a simulated tenant) ` +
        'serves one tenant only. Configure GRAPH_AUTH (README, Many tenants), or unset TENANTS.',
    );
  const deployment = loadDeployment(env);
  if (requested === undefined || requested.trim() === '')
    throw new UsageError(
      `${command}: --tenant is required: TENANTS lists ${deployment.tenants.length} tenant(s):\n${tenantList(deployment.tenants)}`,
    );
  const key = requested.trim().toLowerCase();
  const profile = deployment.tenants.find((t) => t.key.toLowerCase() === key);
  // The value is not quoted back: it is the caller's, and the list says what would have been accepted.
  if (profile === undefined)
    throw new UsageError(
      `${command}: --tenant: no tenant in TENANTS has this id; the configured tenants are:\n${tenantList(deployment.tenants)}`,
    );
  return profile;
}

/** Without TENANTS, `--tenant` may only name the one configured tenant (TENANT_NAME), compared case-insensitively. */
export function checkSingleTenant(command: string, tenant: string, requested: string | undefined): void {
  if (requested === undefined || requested.trim().toLowerCase() === tenant.toLowerCase()) return;
  throw new UsageError(
    `${command}: --tenant: this configuration serves one tenant, ${terminalText(tenant)} (TENANT_NAME); TENANTS is not set`,
  );
}
