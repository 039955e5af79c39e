import { streamLogger } from '../shared/composition/index.js';
import { buildContainer, type Container } from '../shared/composition/container.js';
import type { InProcessQueue } from '../shared/composition/index.js';
import { loadConfig, type TenantProfile } from '../shared/config/index.js';
import type { ReadProgress } from '../shared/ports/index.js';
import { bool, type FlagSpec, type ParsedFlags, str } from './args.js';
import { dataDirOf, type DataDir, type Holder } from './data-dir.js';
import { embeddedEnv, startEmbeddedTenant, wantsEmbeddedTenant, type EmbeddedTenant } from './embedded.js';
import { startLocalTables, storageConfigured, tenantKeyOf, type LocalTables } from './local-tables.js';
import { jsonLineForTerminal } from './output/terminal.js';
import { checkSingleTenant, TENANT_FLAG, tenantProfileOf } from './tenant.js';
import { scaledClock, type ScaledClock } from './serve/scaled-clock.js';

// A CLI session: configuration (environment + the embedded default), one container, an in-process queue
// instead of Service Bus, and clean shutdown of everything it started (simulator, Azurite) on any exit path.
// With no Table Storage configured, the tables (and the embedded default's simulated tenant) live in the data
// folder, so one run's decisions and fixes are there for the next; a running `serve` shares its own.

export interface SessionOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The command, for the data folder's lock (`serve` owns the folder; the others share a running serve's). */
  readonly command: string;
  readonly scenario?: string;
  readonly verbose: boolean;
  readonly onProgress?: (p: ReadProgress) => void;
  /** `serve --speed`: the app's clock and the embedded tenant's run N times faster (default 1). */
  readonly speed?: number;
  /** Start over: delete the data folder's tables and simulated tenant first. */
  readonly fresh?: boolean;
  /** `--tenant`: required when TENANTS is configured (cli/tenant.ts); else only the configured TENANT_NAME. */
  readonly tenant?: string;
}

export interface Session {
  readonly container: Container;
  /** The tenant of TENANTS this session runs against (`--tenant`), or null: the single tenant configured as before. */
  readonly tenant: TenantProfile | null;
  /** The in-process queue the worker drains (pending = scheduled messages left for later). */
  readonly queue: InProcessQueue;
  readonly embedded: EmbeddedTenant | null;
  /** The app's clock: real time, resumed from the data folder's last run, `speed` times faster under serve. */
  readonly clock: ScaledClock;
  /** Where the tables are, for people: "configured Table Storage", or the data folder's path. */
  readonly storage: string;
  /** The data folder this session owns, or null (storage configured, or shared with a running serve). */
  readonly dataDir: DataDir | null;
  /** Keep the tenant's state in the data folder now (serve does after each run; close always does). */
  save(): void;
  /** serve: tell the other commands where its simulated tenant answers and how its clock runs. */
  publish(extra: Pick<Holder, 'graph' | 'clock'>): void;
  close(): Promise<void>;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const embeddedWanted = wantsEmbeddedTenant(opts.env);
  // Which tenant, checked before anything starts (no simulator, no Azurite for a command that cannot run).
  const profile = tenantProfileOf(opts.command, opts.env, opts.tenant, embeddedWanted);
  const scenario = opts.scenario ?? 'demo';
  const local = storageConfigured(opts.env)
    ? null
    : startLocalTables(dataDirOf(opts.env), {
        command: opts.command,
        tenant: tenantKeyOf(opts.env, embeddedWanted ? scenario : null),
        fresh: opts.fresh ?? false,
      });
  let embedded: EmbeddedTenant | null = null;
  try {
    const tables: LocalTables | null = local === null ? null : await local;
    const shared = tables?.shared ?? null;
    const clock =
      shared?.clock !== undefined
        ? scaledClock(shared.clock.speed, shared.clock)
        : scaledClock(opts.speed ?? 1, { appStart: Math.max(Date.now(), tables?.state?.clock ?? 0) });
    if (embeddedWanted) {
      embedded =
        shared?.graph !== undefined
          ? { sim: null, env: embeddedEnv(scenario, shared.graph, opts.env), scenario }
          : await startEmbeddedTenant(scenario, opts.env, {
              ...(tables?.state?.snapshot === undefined ? {} : { snapshot: tables.state.snapshot }),
              now: new Date(clock.now()),
            });
    }
    // ConfigError propagates with every bad key; the caller maps it to exit code 2.
    const env = { ...opts.env, ...(embedded?.env ?? {}), ...(tables?.env ?? {}) };
    // A tenant of TENANTS: its own configuration (read again with the data folder's storage settings) and tables.
    const tenant = profile === null ? null : tenantProfileOf(opts.command, env, profile.key, false);
    const config = tenant?.config ?? loadConfig(env);
    if (tenant === null) checkSingleTenant(opts.command, config.tenant, opts.tenant);
    // Log lines carry tenant data (error texts): escaped so a terminal shows them and obeys nothing.
    const logger = streamLogger(opts.verbose ? 'debug' : 'warn', (l) =>
      process.stderr.write(`${jsonLineForTerminal(l)}\n`),
    );
    const container = await buildContainer(config, {
      logger,
      clock,
      forceInProcessQueue: true,
      graph: opts.onProgress ? { onProgress: opts.onProgress } : {},
      owner: `cli-${process.pid}`,
      ...(tenant === null ? {} : { tablePrefix: tenant.tablePrefix }),
    });
    const queue = container.inProcessQueue;
    if (!queue) throw new Error('internal: the CLI container has no in-process queue');
    const sim = embedded?.sim ?? null;
    const save = () => tables?.save(clock.now(), sim);
    return {
      container,
      tenant,
      queue,
      embedded,
      clock,
      storage: tables === null ? 'configured Table Storage' : tables.description,
      dataDir: tables?.owned ?? null,
      save,
      publish: (extra) => tables?.publish(extra),
      close: async () => {
        // The tenant first: it is kept even when closing the stores fails (its writes already happened).
        try {
          save();
          await container.dispose();
        } finally {
          await sim?.stop();
          await tables?.close();
        }
      },
    };
  } catch (err) {
    await embedded?.sim?.stop();
    await (await local?.catch(() => null))?.close();
    throw err;
  }
}

/** Ctrl-C: the first stops the run between steps (nothing half-written); the second exits at once. */
export class StopSignal {
  private requested = false;
  private readonly waiters: (() => void)[] = [];
  private readonly onSigint = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write('\nStopping after the current step (Ctrl-C again to quit now)…\n');
    for (const w of this.waiters.splice(0)) w();
  };

  /** Resolves at the first Ctrl-C (or SIGTERM). */
  whenStopped(): Promise<void> {
    return this.requested ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  constructor(private readonly active = true) {
    if (!active) return;
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigint);
  }

  get stopRequested(): boolean {
    return this.requested;
  }

  dispose(): void {
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigint);
  }
}

/** Flags every command that talks to a tenant shares. */
export const SESSION_FLAGS = {
  fresh: { type: 'boolean', help: "start over: delete the data folder's tables and simulated tenant first" },
  plan: { type: 'boolean', help: 'plan mode for every action: record what would be done, write nothing to the tenant' },
  scenario: { type: 'string', value: 'NAME|FILE', help: 'simulator scenario for the embedded default (default: demo)' },
  verbose: { type: 'boolean', help: 'structured debug logs on stderr' },
  tenant: TENANT_FLAG,
} as const satisfies Readonly<Record<string, FlagSpec>>;

/** Open a session from the shared flags, with a TTY progress line unless the output is JSON. */
export function openCliSession(
  command: string,
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  progress: { onProgress?: (p: ReadProgress) => void },
): Promise<Session> {
  const scenario = str(flags, 'scenario');
  const tenant = str(flags, 'tenant');
  return openSession({
    env,
    command,
    ...(tenant === undefined ? {} : { tenant }),
    fresh: bool(flags, 'fresh'),
    verbose: bool(flags, 'verbose'),
    ...(scenario ? { scenario } : {}),
    ...(progress.onProgress && !bool(flags, 'json') ? { onProgress: progress.onProgress } : {}),
  });
}
