import { streamLogger } from '../shared/composition/index.js';
import { buildContainer, type Container } from '../shared/composition/container.js';
import type { InProcessQueue } from '../shared/composition/index.js';
import { loadConfig } from '../shared/config/index.js';
import type { ReadProgress } from '../shared/ports/index.js';
import { bool, type FlagSpec, type ParsedFlags, str } from './args.js';
import { startEmbeddedTenant, wantsEmbeddedTenant, type EmbeddedTenant } from './embedded.js';
import { jsonLineForTerminal } from './output/terminal.js';

// A CLI session: configuration (environment + the embedded default), one container, an in-process queue
// instead of Service Bus, and clean shutdown of everything it started (simulator, Azurite) on any exit path.

export interface SessionOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly scenario?: string;
  readonly verbose: boolean;
  readonly onProgress?: (p: ReadProgress) => void;
  /** When no storage is configured: keep the embedded Azurite's tables in this folder instead of in memory. */
  readonly storageDir?: string;
  /** The app's clock (default: real time). `serve --speed` runs the app and the embedded tenant faster. */
  readonly clock?: { now(): number };
}

export interface Session {
  readonly container: Container;
  /** The in-process queue the worker drains (pending = scheduled messages left for later). */
  readonly queue: InProcessQueue;
  readonly embedded: EmbeddedTenant | null;
  close(): Promise<void>;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const embedded = wantsEmbeddedTenant(opts.env) ? await startEmbeddedTenant(opts.scenario ?? 'demo', opts.env) : null;
  try {
    // ConfigError propagates with every bad key; the caller maps it to exit code 2.
    const config = loadConfig({ ...opts.env, ...(embedded?.env ?? {}) });
    // Log lines carry tenant data (error texts): escaped so a terminal shows them and obeys nothing.
    const logger = streamLogger(opts.verbose ? 'debug' : 'warn', (l) =>
      process.stderr.write(`${jsonLineForTerminal(l)}\n`),
    );
    const clock = opts.clock ?? { now: () => Date.now() };
    const container = await buildContainer(config, {
      logger,
      clock,
      forceInProcessQueue: true,
      storageFallback: 'embedded-azurite',
      ...(opts.storageDir === undefined ? {} : { embeddedStorageDir: opts.storageDir }),
      graph: opts.onProgress ? { onProgress: opts.onProgress } : {},
      owner: `cli-${process.pid}`,
    });
    const queue = container.inProcessQueue;
    if (!queue) throw new Error('internal: the CLI container has no in-process queue');
    return {
      container,
      queue,
      embedded,
      close: async () => {
        await container.dispose();
        await embedded?.sim.stop();
      },
    };
  } catch (err) {
    await embedded?.sim.stop();
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
  plan: { type: 'boolean', help: 'plan mode for every action: record what would be done, write nothing to the tenant' },
  scenario: { type: 'string', value: 'NAME|FILE', help: 'simulator scenario for the embedded default (default: demo)' },
  verbose: { type: 'boolean', help: 'structured debug logs on stderr' },
} as const satisfies Readonly<Record<string, FlagSpec>>;

/** Open a session from the shared flags, with a TTY progress line unless the output is JSON. */
export function openCliSession(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  progress: { onProgress?: (p: ReadProgress) => void },
): Promise<Session> {
  const scenario = str(flags, 'scenario');
  return openSession({
    env,
    verbose: bool(flags, 'verbose'),
    ...(scenario ? { scenario } : {}),
    ...(progress.onProgress && !bool(flags, 'json') ? { onProgress: progress.onProgress } : {}),
  });
}
