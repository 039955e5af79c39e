import { randomBytes } from 'node:crypto';

import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import type { HistoryRecord } from '../../shared/ports/index.js';
import type { FaultRuleInput } from '../../sim/limits/faults.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { startCli, type CliRun } from '../e2e/cli-process.js';
import type { Receiver } from '../integration/alerts/receiver.js';
import { endpointOf, startTcpProxy, throughProxy, type TcpProxyOptions } from '../support/tcp-proxy.js';
import { repeatedWrites, tenantWrites, unrecordedWrites, type TenantWrite } from '../support/tenant-writes.js';

// The pieces of a chaos case: the CLI process (`sweep --json`) against the simulator (real HTTP) and Azurite behind a
// loopback TCP proxy that can cut or hold Table Storage, with webhook alerts to a loopback receiver, so the Graph
// token, the webhook URL's secret and the signing key are all in play and can be looked for in what the CLI prints.

export const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
export const DEMO_POLICY = 'Contoso Win11 device preparation';
/** The demo's device preparation policy (its enrollment-time group is proven before any group write). */
export const DEMO_POLICY_ID = '7a000000-0000-4000-8000-000000000001';

export interface ChaosWorld {
  readonly azurite: { readonly connectionString: string };
  readonly webhook: Receiver;
  /** Secrets the product holds in this world; none may appear in any output. */
  readonly signingKey: string;
}

export function newSigningKey(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface Sweep {
  readonly run: CliRun;
  /** Table Storage request lines that went through the proxy. */
  readonly storage: readonly string[];
  readonly ms: number;
}

export interface SweepOptions {
  readonly proxy?: TcpProxyOptions;
  readonly env?: Readonly<Record<string, string>>;
  /** Called while the process runs; `kill` ends it with SIGKILL (no cleanup of any kind). */
  readonly during?: (ctl: { kill(): void; held(): boolean }) => Promise<void>;
}

let cases = 0;

/** One chaos case: a fresh demo tenant and table prefix; any number of sweeps; what they did, as the tenant saw it. */
export class ChaosCase {
  readonly runs: Sweep[] = [];
  private constructor(
    readonly world: ChaosWorld,
    readonly sim: Simulator,
    readonly prefix: string,
  ) {}

  static async start(world: ChaosWorld): Promise<ChaosCase> {
    const sim = await startSimulator({ scenario: 'demo', port: 0 });
    // TABLE_PREFIX: letters and digits, at most 20; one fresh set of tables per case.
    const prefix = `chaos${(cases += 1)}x${Date.now() % 1_000_000}`;
    return new ChaosCase(world, sim, prefix);
  }

  env(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      GRAPH_BASE_URL: this.sim.url,
      GRAPH_TOKEN: this.sim.token,
      TABLE_PREFIX: this.prefix,
      REMEDIATION_MODE: 'enforce',
      DEVICE_PREP_GROUPS: JSON.stringify([{ groupId: DEMO_GROUP, policyName: DEMO_POLICY, policyId: DEMO_POLICY_ID }]),
      TENANT_NAME: 'chaos',
      WEBHOOK_URL: this.world.webhook.url,
      WEBHOOK_SECRET: this.world.signingKey,
      WEBHOOK_MIN_SEVERITY: 'info',
      ...extra,
    };
  }

  fault(rule: FaultRuleInput): void {
    this.sim.faults.add(rule);
  }

  async sweep(opts: SweepOptions = {}): Promise<Sweep> {
    const proxy = await startTcpProxy(endpointOf(this.world.azurite.connectionString), opts.proxy ?? {});
    const started = performance.now();
    try {
      const cli = startCli(
        ['sweep', '--json'],
        {
          ...this.env(opts.env),
          STORAGE_CONNECTION_STRING: throughProxy(this.world.azurite.connectionString, proxy.port),
        },
        300_000,
      );
      if (opts.during) await opts.during({ kill: () => cli.kill(), held: () => proxy.held });
      const run = await cli.done;
      const sweep = { run, storage: [...proxy.lines], ms: performance.now() - started };
      this.runs.push(sweep);
      return sweep;
    } finally {
      await proxy.stop();
    }
  }

  /** Attempt rows stored (read straight from Azurite, past the proxy). */
  async attempts(): Promise<HistoryRecord[]> {
    const stores = await createTableStores({ connectionString: this.world.azurite.connectionString }, this.prefix);
    return [...(await stores.history.query({ type: 'attempt', limit: 1000 })).items];
  }

  writes(): TenantWrite[] {
    return tenantWrites(this.sim);
  }

  /** The checks every case makes, whatever its fault. */
  async verdict(): Promise<Verdict> {
    const writes = this.writes();
    const attempts = await this.attempts();
    const outputs = this.runs.map((r) => `${r.run.stdout}\n${r.run.stderr}`).join('\n');
    return {
      exits: this.runs.map((r) => (r.run.signal ? `killed (${r.run.signal})` : String(r.run.code))),
      writes: writes.length,
      attempts: new Set(attempts.map((a) => a.id)).size,
      hidden: unrecordedWrites(writes, attempts),
      duplicates: repeatedWrites(writes),
      leaked: leakedSecrets(outputs, this.secrets()),
    };
  }

  secrets(): Record<string, string> {
    return {
      'Graph token': this.sim.token,
      'webhook URL signature': this.world.webhook.signature,
      'webhook signing key': this.world.signingKey,
    };
  }

  async stop(): Promise<void> {
    await this.sim.stop();
  }
}

export interface Verdict {
  /** Exit code of each run, in order. */
  readonly exits: readonly string[];
  readonly writes: number;
  readonly attempts: number;
  /** Tenant writes without an attempt row stored before them. */
  readonly hidden: readonly string[];
  /** The same tenant write made more than once, across the case's runs. */
  readonly duplicates: readonly string[];
  /** Names of the secrets found in any output. */
  readonly leaked: readonly string[];
}

export function leakedSecrets(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value.length > 0 && (text.includes(value) || text.includes(encodeURIComponent(value))))
    .map(([name]) => name);
}

/** Wait until `test` holds, checking every 5 ms, or fail after `ms`. */
export async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Index of the first Table Storage request of the remediation phase (the first claim). */
export function firstClaim(storage: readonly string[], prefix: string): number {
  return storage.findIndex((l) => l.includes(`${prefix}Claims`));
}

/** Request lines that write an attempt row (they travel inside an entity-group $batch). */
export const isAttemptRow = (line: string): boolean => /History\(.*%7Cattempt%7C/.test(line);
