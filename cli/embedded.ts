import { startSimulator, type ScenarioObject, type Simulator } from '../sim/index.js';

// The embedded default: with no Graph endpoint and no credentials configured, the CLI plays against the
// built-in tenant simulator (bundled demo scenario) and Azurite keeping its tables in the data folder, in enforce
// mode, so a newcomer sees one full cycle in seconds without a tenant or an Azure account.

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
  /** The simulator this process runs; null when it uses the one a running `serve` runs. */
  readonly sim: Simulator | null;
  /** Environment overlay: explicit settings in the caller's environment still win. */
  readonly env: Readonly<Record<string, string>>;
  readonly scenario: string;
}

export interface EmbeddedStart {
  /** The tenant a previous run left (a simulator snapshot); absent = the scenario as written. */
  readonly snapshot?: unknown;
  /** The simulator's clock at start (the app's clock, which may be ahead of real time). */
  readonly now?: Date;
}

export async function startEmbeddedTenant(
  scenario: string,
  env: Readonly<Record<string, string | undefined>>,
  start: EmbeddedStart = {},
): Promise<EmbeddedTenant> {
  const sim = await startSimulator({
    scenario: start.snapshot === undefined ? scenario : (start.snapshot as ScenarioObject),
    port: 0,
    ...(start.now ? { now: start.now } : {}),
  });
  return { sim, env: embeddedEnv(scenario, { url: sim.url, token: sim.token }, env), scenario };
}

/** The settings that point the app at a simulated tenant, with the bundled scenario's product configuration. */
export function embeddedEnv(
  scenario: string,
  graph: { readonly url: string; readonly token: string },
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string>> {
  const defaults: Record<string, string> = { REMEDIATION_MODE: 'enforce', ...(SCENARIO_SETTINGS[scenario] ?? {}) };
  const overlay: Record<string, string> = {
    GRAPH_BASE_URL: graph.url,
    GRAPH_TOKEN: graph.token,
    GRAPH_AUTH: 'static-token',
  };
  for (const [k, v] of Object.entries(defaults)) if (!env[k]) overlay[k] = v;
  return overlay;
}
