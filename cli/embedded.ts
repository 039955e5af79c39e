import { startSimulator, type Simulator } from '../sim/index.js';

// The embedded default: with no Graph endpoint and no credentials configured, the CLI plays against the
// built-in tenant simulator (bundled demo scenario) and an in-memory Azurite, in enforce mode, so a newcomer
// sees one full cycle in seconds without a tenant or an Azure account.

const GRAPH_KEYS = [
  'GRAPH_BASE_URL',
  'GRAPH_TOKEN',
  'GRAPH_AUTH',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
];

/** The product configuration an administrator of each bundled scenario's tenant would have set. */
const SCENARIO_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  demo: {
    DEVICE_PREP_GROUPS: JSON.stringify([
      {
        groupId: '9a000000-0000-4000-8000-000000000001',
        policyName: 'Contoso Win11 device preparation',
        policyId: '7a000000-0000-4000-8000-000000000001',
      },
    ]),
    TENANT_NAME: 'contoso-demo',
  },
};

export function wantsEmbeddedTenant(env: Readonly<Record<string, string | undefined>>): boolean {
  return GRAPH_KEYS.every((k) => !env[k]);
}

export interface EmbeddedTenant {
  readonly sim: Simulator;
  /** Environment overlay: explicit settings in the caller's environment still win. */
  readonly env: Readonly<Record<string, string>>;
  readonly scenario: string;
}

export async function startEmbeddedTenant(
  scenario: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<EmbeddedTenant> {
  const sim = await startSimulator({ scenario, port: 0 });
  const defaults: Record<string, string> = { REMEDIATION_MODE: 'enforce', ...(SCENARIO_SETTINGS[scenario] ?? {}) };
  const overlay: Record<string, string> = {
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: sim.token,
    GRAPH_AUTH: 'static-token',
  };
  for (const [k, v] of Object.entries(defaults)) if (!env[k]) overlay[k] = v;
  return { sim, env: overlay, scenario };
}
