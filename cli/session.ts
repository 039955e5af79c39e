import { streamLogger } from '../shared/composition/index.js';
import { buildContainer, type Container } from '../shared/composition/container.js';
import { InProcessQueue } from '../shared/adapters/inprocess/queue.js';
import { loadConfig } from '../shared/config/index.js';
import type { ReadProgress } from '../shared/ports/index.js';
import { startEmbeddedTenant, wantsEmbeddedTenant, type EmbeddedTenant } from './embedded.js';

// A CLI session: configuration (environment + the embedded default), one container, an in-process queue
// instead of Service Bus, and clean shutdown of everything it started (simulator, Azurite) on any exit path.

export interface SessionOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly scenario?: string;
  readonly verbose: boolean;
  readonly onProgress?: (p: ReadProgress) => void;
}

export interface Session {
  readonly container: Container;
  readonly queue: InProcessQueue;
  readonly embedded: EmbeddedTenant | null;
  close(): Promise<void>;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const embedded = wantsEmbeddedTenant(opts.env) ? await startEmbeddedTenant(opts.scenario ?? 'demo', opts.env) : null;
  try {
    // ConfigError propagates with every bad key; the caller maps it to exit code 2.
    const config = loadConfig({ ...opts.env, ...(embedded?.env ?? {}) });
    const logger = streamLogger(opts.verbose ? 'debug' : 'warn');
    const clock = { now: () => Date.now() };
    const queue = new InProcessQueue({ clock });
    const container = await buildContainer(config, {
      logger,
      clock,
      queue,
      storageFallback: 'embedded-azurite',
      graph: opts.onProgress ? { onProgress: opts.onProgress } : {},
      owner: `cli-${process.pid}`,
    });
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
  private readonly onSigint = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write('\nStopping after the current step (Ctrl-C again to quit now)…\n');
  };

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
