import { describe, expect, it } from 'vitest';
import { createGraphAdapters, graphAdapterConfig } from '../../../../shared/adapters/graph/index.js';
import { loadConfig } from '../../../../shared/config/index.js';
import { json, scriptedFetch } from './fake-fetch.js';

describe('createGraphAdapters', () => {
  it('takes its tuning from config and sends the static token to a loopback base', async () => {
    const config = loadConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:8999/',
      GRAPH_TOKEN: 'sim-token',
      GRAPH_WRITE_BUDGET: '10/2',
      GRAPH_MAX_RETRIES: '2',
    });
    const settings = graphAdapterConfig(config);
    expect(settings).toMatchObject({
      baseUrl: 'http://127.0.0.1:8999',
      maxRetries: 2,
      writeBudget: { max: 10, windowMs: 2000 },
      pageConcurrency: 4,
    });

    const { fetch, seen } = scriptedFetch([
      json({ id: 's', lastSyncDateTime: '2025-01-01T00:00:00Z', syncStatus: 'completed' }),
    ]);
    const graph = createGraphAdapters(settings, { fetch });
    await expect(graph.autopilot.getSettings()).resolves.toMatchObject({
      syncStatus: 'completed',
      lastManualSyncTriggerAt: null,
    });
    expect(seen[0]).toMatchObject({ url: 'http://127.0.0.1:8999/beta/deviceManagement/windowsAutopilotSettings' });
    expect(seen[0]?.headers.authorization).toBe('Bearer sim-token');
  });
});
