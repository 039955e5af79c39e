import { startEmbeddedAzurite } from '../../shared/adapters/tables/embedded-azurite.js';

/** Starts a private, in-memory Azurite table service on a free port; call stop() in afterAll. */
export async function withAzurite(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const azurite = await startEmbeddedAzurite();
  return { connectionString: azurite.connectionString, stop: () => azurite.stop() };
}
