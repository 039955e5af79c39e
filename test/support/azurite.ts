import { afterAll, beforeAll } from 'vitest';

import { startEmbeddedAzurite } from '../../shared/adapters/tables/embedded-azurite.js';

/** Starts a private, in-memory Azurite table service on a free port; call stop() in afterAll. */
export async function withAzurite(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const azurite = await startEmbeddedAzurite();
  return { connectionString: azurite.connectionString, stop: () => azurite.stop() };
}

type Azurite = Awaited<ReturnType<typeof withAzurite>>;

/**
 * One Azurite for the test file: started in beforeAll and stopped in afterAll where this is called. The object is
 * usable as the Azurite itself once beforeAll has run (its connection string is read then).
 */
export function azuriteForFile(): Azurite {
  let started: Azurite | undefined;
  beforeAll(async () => {
    started = await withAzurite();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const live = (): Azurite => {
    if (started === undefined) throw new Error('Azurite starts in beforeAll');
    return started;
  };
  return {
    get connectionString() {
      return live().connectionString;
    },
    stop: () => live().stop(),
  };
}
