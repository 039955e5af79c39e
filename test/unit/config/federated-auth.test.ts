import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../../shared/config/index.js';
import { problemsOf as configProblems } from './problems.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d';
const MI = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

const problemsOf = (env: Record<string, string>) => configProblems(() => loadConfig(env));

describe('GRAPH_AUTH=federated', () => {
  it('resolves the app, the tenant and the user-assigned identity', () => {
    const c = loadConfig({
      GRAPH_AUTH: 'federated',
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP,
      MANAGED_IDENTITY_CLIENT_ID: MI,
    });
    expect(c.graph.auth).toEqual({ kind: 'federated', tenantId: TENANT, clientId: APP, managedIdentityClientId: MI });
  });

  it('uses the system-assigned identity when MANAGED_IDENTITY_CLIENT_ID is unset (or blank)', () => {
    const c = loadConfig({
      GRAPH_AUTH: 'federated',
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP,
      MANAGED_IDENTITY_CLIENT_ID: '',
    });
    expect(c.graph.auth).toMatchObject({ kind: 'federated', managedIdentityClientId: null });
  });

  it('requires the tenant and the app, as GUIDs (they end up in the admin-consent link)', () => {
    expect(
      problemsOf({ GRAPH_AUTH: 'federated' })
        .map((p) => p.key)
        .sort(),
    ).toEqual(['AZURE_CLIENT_ID', 'AZURE_TENANT_ID']);
    const problems = problemsOf({
      GRAPH_AUTH: 'federated',
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: `${APP}<script>`,
      MANAGED_IDENTITY_CLIENT_ID: 'not-a-guid',
    });
    expect(problems.map((p) => p.key).sort()).toEqual([
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
      'MANAGED_IDENTITY_CLIENT_ID',
    ]);
    expect(problems.every((p) => p.message.includes('GUID'))).toBe(true);
    // The bad values are not echoed.
    expect(JSON.stringify(problems)).not.toContain('<script>');
  });

  it('never needs a secret, and auto never picks it (it must be chosen explicitly)', () => {
    const federated = loadConfig({ GRAPH_AUTH: 'federated', AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP });
    expect(JSON.stringify(federated.graph.auth)).not.toMatch(/secret|token|certificate/i);
    const auto = loadConfig({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP, MANAGED_IDENTITY_CLIENT_ID: MI });
    expect(auto.graph.auth).toEqual({ kind: 'managed-identity', clientId: MI });
  });

  it('leaves the single-tenant modes as they were', () => {
    const c = loadConfig({
      GRAPH_AUTH: 'client-secret',
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: APP,
      AZURE_CLIENT_SECRET: 's',
    });
    expect(c.graph.auth).toMatchObject({ kind: 'client-secret', tenantId: 'contoso.onmicrosoft.com' });
  });
});
