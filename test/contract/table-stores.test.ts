import { TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import { withAzurite } from '../support/azurite.js';
import { T0 } from './fixtures.js';

describe('createTableStores (Azurite)', () => {
  let azurite: Awaited<ReturnType<typeof withAzurite>>;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('creates the eight prefixed tables, idempotently', async () => {
    const conn = { connectionString: azurite.connectionString };
    const first = await createTableStores(conn, 'ctSetup');
    expect(await first.runs.tryStartRun('poll:1', T0)).toBe(true);
    const second = await createTableStores(conn, 'ctSetup');
    expect(await second.runs.tryStartRun('poll:1', T0)).toBe(false);

    const service = TableServiceClient.fromConnectionString(azurite.connectionString, {
      allowInsecureConnection: true,
    });
    const names: string[] = [];
    for await (const table of service.listTables()) if (table.name?.startsWith('ctSetup')) names.push(table.name);
    expect(names.sort()).toEqual(
      ['Alerts', 'Approvals', 'Claims', 'Findings', 'Governor', 'History', 'Reports', 'Runs', 'Watermarks'].map(
        (s) => `ctSetup${s}`,
      ),
    );
  });

  it('rejects a prefix that cannot form a table name', async () => {
    await expect(createTableStores({ connectionString: azurite.connectionString }, 'bad-prefix')).rejects.toThrow(
      /invalid table name/,
    );
    await expect(createTableStores({ connectionString: azurite.connectionString }, '1abc')).rejects.toThrow(
      /invalid table name/,
    );
  });

  it('keeps non-ASCII text intact in single-entity writes larger than one network chunk', async () => {
    // Azurite decodes single-entity request bodies chunk by chunk; batches are not affected. ~360 KB of 3-byte
    // UTF-8 crosses several chunk boundaries, each very likely to split a character unless the body is ASCII.
    const { watermarks, governor } = await createTableStores(
      { connectionString: azurite.connectionString },
      'ctUnicode',
    );
    const seenIds = Array.from({ length: 4_000 }, (_, i) => `日本語-Gerät-✓-🚀-${i}-${'語'.repeat(20)}`);
    await watermarks.put('Mandant-ü', { stream: 'événements', value: T0, seenIds });
    expect(await watermarks.get('Mandant-ü', 'événements')).toEqual({ stream: 'événements', value: T0, seenIds });
    const state = await governor.put({ ...(await governor.get('Mandant-ü')), pendingReasons: seenIds.slice(0, 3_000) });
    expect(await governor.get('Mandant-ü')).toEqual(state);
  });
});
