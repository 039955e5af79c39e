import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readTenantRows, writeTenantRows } from '../../../shared/adapters/tables/tenant-table.js';
import { loadFromEnvironment, tenantsTableClient } from '../../../shared/composition/fleet-source.js';
import { loadConfig } from '../../../shared/config/index.js';
import { withAzurite } from '../../support/azurite.js';
import { uniqueTablePrefix, type Azurite } from '../../support/harness.js';

// TENANTS_SOURCE=table on Azurite: the tenants written to `<TABLE_PREFIX>Tenants` are the deployment's tenants, with
// their overrides; rewriting the list removes the tenants no longer in it, and the stamp the host compares changes.

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0b0b0b0b-2222-4222-8222-00000000000b';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

describe('the tenants table', () => {
  it('is read into the deployment, and rewriting it removes a tenant', async () => {
    const env = {
      GRAPH_AUTH: 'static-token',
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: uniqueTablePrefix('tt'),
      TENANTS_SOURCE: 'table',
    };
    const client = tenantsTableClient(loadConfig({ ...env, GRAPH_TOKEN: 'unused' }));
    expect(
      await writeTenantRows(client, [
        { id: A.toUpperCase(), name: 'Contoso', settings: { GRAPH_TOKEN: 'token-a', REMEDIATION_MODE: 'enforce' } },
        { id: B, name: 'Fabrikam', settings: { GRAPH_TOKEN: 'token-b' } },
      ]),
    ).toEqual({ written: 2, removed: 0 });

    const first = await loadFromEnvironment(env);
    expect(first.deployment.tenants.map((t) => [t.key, t.name, t.config.policy.defaultMode])).toEqual([
      [A, 'Contoso', 'enforce'],
      [B, 'Fabrikam', 'plan'],
    ]);
    expect(first.deployment.tenants[0]?.config.graph.auth).toEqual({ kind: 'static-token', token: 'token-a' });

    expect(await writeTenantRows(client, [{ id: B, name: 'Fabrikam', settings: { GRAPH_TOKEN: 'token-b' } }])).toEqual({
      written: 1,
      removed: 1,
    });
    expect((await readTenantRows(client)).map((r) => r.rowKey)).toEqual([B]);
    const second = await loadFromEnvironment(env);
    expect(second.deployment.tenants.map((t) => t.key)).toEqual([B]);
    expect(second.stamp).not.toBe(first.stamp);
  });
});
