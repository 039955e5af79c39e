import { contextLogger, streamLogger, type ContextLike } from '../adapters/logging/loggers.js';
import { loadConfigFromProcessEnv } from '../config/index.js';
import type { Logger } from '../ports/index.js';
import { buildContainer, type Container } from './container.js';

// One container per Functions host, built lazily on the first invocation: a throw at module load happens
// while the host indexes functions and gives confusing symptoms, so config errors surface per invocation.

let cached: Promise<Container> | null = null;

export function getHostContainer(): Promise<Container> {
  if (!cached) {
    const config = loadConfigFromProcessEnv();
    cached = buildContainer(config, { logger: streamLogger(config.env.LOG_LEVEL) }).catch((err: unknown) => {
      cached = null; // let the next invocation try again (e.g. storage was briefly unreachable)
      throw err;
    });
  }
  return cached;
}

export function invocationLogger(ctx: ContextLike, container: Container): Logger {
  return contextLogger(ctx, container.config.env.LOG_LEVEL);
}

/** Tests swap in a container built with in-memory or Azurite stores and a simulator. */
export function setHostContainerForTests(container: Container | null): void {
  cached = container ? Promise.resolve(container) : null;
}
