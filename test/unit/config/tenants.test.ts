import { describe, expect, it } from 'vitest';

import { tableName, TABLE_SUFFIXES } from '../../../shared/adapters/tables/table-stores.js';
import {
  ConfigError,
  loadConfig,
  loadDeployment,
  loadDeploymentWithTable,
  type TenantRow,
} from '../../../shared/config/index.js';
import { problemsOf as configProblems } from './problems.js';

// TENANTS: many tenants from one deployment, each with overrides of the per-tenant settings, validated by the same
// schema as a single tenant's and reported in one error with every bad key.

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0B0B0B0B-2222-4222-8222-00000000000B';
const GROUP = '9a000000-0000-4000-8000-000000000001';

const base = {
  GRAPH_AUTH: 'client-secret',
  AZURE_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
  AZURE_CLIENT_SECRET: 'app-secret-value',
};

const problemsOf = (env: Record<string, string | undefined>) => configProblems(() => loadDeployment(env));

describe('loadDeployment', () => {
  it('without TENANTS: the one tenant exactly as loadConfig reads it, on the same tables', () => {
    const env = { GRAPH_TOKEN: 't', TENANT_NAME: 'contoso', REMEDIATION_MODE: 'enforce' };
    const d = loadDeployment(env);
    expect(d.multiTenant).toBe(false);
    expect(d.tenants).toHaveLength(1);
    const [only] = d.tenants;
    expect(only?.key).toBe('contoso');
    expect(only?.tablePrefix).toBe('apm');
    expect(only?.config).toEqual(loadConfig(env));
    expect(d.concurrency).toBe(64);
    expect(d.deviceBudget).toBe(100_000);
  });

  it('each tenant: the deployment settings, its overrides, its own id as tenant and credential tenant', () => {
    const d = loadDeployment({
      ...base,
      REMEDIATION_MODE: 'plan',
      TENANT_CONCURRENCY: '3',
      TENANTS: JSON.stringify([
        {
          id: A,
          name: 'Contoso',
          settings: {
            REMEDIATION_MODE: 'enforce',
            DEVICE_PREP_GROUPS: [{ groupId: GROUP, policyName: 'DP' }],
            BLAST_RADIUS_MAX_DEVICES: 7,
            SYNC_ON_PROFILE_OUT_OF_SYNC: false,
          },
        },
        { id: B, name: 'Fabrikam' },
      ]),
    });
    expect(d.multiTenant).toBe(true);
    expect(d.concurrency).toBe(3);
    const [a, b] = d.tenants;
    expect(a?.key).toBe(A);
    expect(a?.name).toBe('Contoso');
    expect(a?.config.tenant).toBe(A);
    expect(a?.config.policy.defaultMode).toBe('enforce');
    expect(a?.config.policy.blastRadiusMaxDevices).toBe(7);
    expect(a?.config.policy.syncOnProfileOutOfSync).toBe(false);
    expect(a?.config.devicePrepGroups).toEqual([{ groupId: GROUP, policyName: 'DP' }]);
    expect(a?.config.graph.auth).toMatchObject({ kind: 'client-secret', tenantId: A });
    // Ids are compared and used lower-case; the other tenant keeps the deployment's settings.
    expect(b?.key).toBe(B.toLowerCase());
    expect(b?.config.policy.defaultMode).toBe('plan');
    expect(b?.config.graph.auth).toMatchObject({ tenantId: B.toLowerCase() });
    expect(a?.tablePrefix).toBe(`apm${A.replace(/-/g, '')}`);
  });

  it("a tenant's own REMEDIATION_MODE is not raised by the deployment's per-action modes", () => {
    const d = loadDeployment({
      ...base,
      REMEDIATION_MODE: 'enforce',
      REMEDIATION_ACTION_MODES: 'allow-next-enrollment=enforce,autopilot-sync=plan',
      TENANTS: JSON.stringify([
        // A customer being onboarded: nothing written to it, whatever the deployment enforces elsewhere.
        { id: A, name: 'Contoso', settings: { REMEDIATION_MODE: 'plan' } },
        // A customer that enforces: the deployment's stricter per-action mode still holds.
        { id: B, name: 'Fabrikam', settings: { REMEDIATION_MODE: 'enforce' } },
      ]),
    });
    const [a, b] = d.tenants;
    expect(a?.config.policy.actionModes['allow-next-enrollment']).toBe('plan');
    expect(a?.config.policy.actionModes['add-to-device-prep-group']).toBe('plan');
    expect(b?.config.policy.actionModes['allow-next-enrollment']).toBe('enforce');
    expect(b?.config.policy.actionModes['autopilot-sync']).toBe('plan');
    // Its own per-action modes are its own choice.
    const own = loadDeployment({
      ...base,
      REMEDIATION_ACTION_MODES: 'allow-next-enrollment=enforce',
      TENANTS: JSON.stringify([
        {
          id: A,
          name: 'Contoso',
          settings: { REMEDIATION_MODE: 'plan', REMEDIATION_ACTION_MODES: 'autopilot-sync=enforce' },
        },
      ]),
    });
    expect(own.tenants[0]?.config.policy.actionModes['autopilot-sync']).toBe('enforce');
    expect(own.tenants[0]?.config.policy.actionModes['allow-next-enrollment']).toBe('plan');
  });

  it("every tenant's tables have valid names, even with the longest TABLE_PREFIX", () => {
    const d = loadDeployment({
      ...base,
      TABLE_PREFIX: 'p'.repeat(20),
      TENANTS: JSON.stringify([{ id: A, name: 'A' }]),
    });
    const prefix = d.tenants[0]?.tablePrefix ?? '';
    for (const suffix of TABLE_SUFFIXES) expect(() => tableName(prefix, suffix)).not.toThrow();
  });

  it('lists every bad entry and override in one error, under the key it came from', () => {
    const problems = problemsOf({
      ...base,
      POLL_SCHEDULE: 'every five minutes',
      TENANTS: JSON.stringify([
        { id: A, name: 'A', settings: { REMEDIATION_MODE: 'bogus', NOT_A_SETTING: 1, STORAGE_TABLE_ENDPOINT: 'x' } },
        { id: 'not-a-guid', name: 'B' },
        { id: A.toUpperCase(), name: 'duplicate' },
        { id: B, name: 'C', extra: true },
        { id: B.toLowerCase(), name: '<b>bold</b>' },
      ]),
    });
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POLL_SCHEDULE',
        // Its value is checked too, though the same entry names an unknown setting and a deployment setting is bad.
        'TENANTS[0].settings.REMEDIATION_MODE',
        'TENANTS[0].settings.NOT_A_SETTING',
        'TENANTS[0].settings.STORAGE_TABLE_ENDPOINT',
        'TENANTS[1].id',
        'TENANTS[2].id',
        'TENANTS[3]',
        'TENANTS[4].name',
      ]),
    );
    // The deployment's own bad setting is reported once, not once per tenant.
    expect(keys.filter((k) => k.includes('POLL_SCHEDULE'))).toEqual(['POLL_SCHEDULE']);
  });

  it("a bad override value is listed with a bad deployment setting, each once, and not the deployment's twice", () => {
    const problems = problemsOf({
      ...base,
      POLL_SCHEDULE: 'every five minutes',
      TENANTS: JSON.stringify([
        { id: A, name: 'A', settings: { BLAST_RADIUS_MAX_DEVICES: 'many' } },
        { id: B, name: 'B' },
      ]),
    });
    expect(problems.map((p) => p.key).sort()).toEqual([
      'POLL_SCHEDULE',
      'TENANTS[0].settings.BLAST_RADIUS_MAX_DEVICES',
    ]);
  });

  it('a bad override value is reported under the tenant and setting', () => {
    const problems = problemsOf({
      ...base,
      TENANTS: JSON.stringify([
        { id: A, name: 'A', settings: { REMEDIATION_MODE: 'bogus' } },
        { id: B, name: 'B', settings: { WEBHOOK_URL: 'https://hooks.example/secret-path' } },
      ]),
    });
    expect(problems.map((p) => p.key)).toEqual(
      expect.arrayContaining(['TENANTS[0].settings.REMEDIATION_MODE', 'TENANTS[1] (WEBHOOK_SECRET)']),
    );
  });

  it('never quotes TENANTS: it carries webhook URLs and tokens', () => {
    const secret = 'https://hooks.example/very-secret-token';
    for (const value of [`[{"id":"${A}","name":"A","settings":{"WEBHOOK_URL":"${secret}"`, `{"url":"${secret}"}`]) {
      try {
        loadDeployment({ ...base, TENANTS: value });
        throw new Error('expected a ConfigError');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).not.toContain('very-secret-token');
      }
    }
  });

  it("refuses a credential that cannot reach each tenant: a managed identity's own token, one static token for all", () => {
    expect(problemsOf({ TENANTS: JSON.stringify([{ id: A, name: 'A' }]) })).toEqual([
      expect.objectContaining({ key: 'TENANTS[0] (GRAPH_AUTH)' }),
    ]);
    expect(
      problemsOf({ GRAPH_AUTH: 'static-token', GRAPH_TOKEN: 'one', TENANTS: JSON.stringify([{ id: A, name: 'A' }]) }),
    ).toEqual([expect.objectContaining({ key: 'TENANTS[0].settings.GRAPH_TOKEN' })]);
    const d = loadDeployment({
      GRAPH_AUTH: 'static-token',
      TENANTS: JSON.stringify([
        { id: A, name: 'A', settings: { GRAPH_TOKEN: 'token-a' } },
        { id: B, name: 'B', settings: { GRAPH_TOKEN: 'token-b' } },
      ]),
    });
    expect(d.tenants.map((t) => t.config.graph.auth)).toEqual([
      { kind: 'static-token', token: 'token-a' },
      { kind: 'static-token', token: 'token-b' },
    ]);
  });

  it('an empty list, a non-list and invalid JSON are refused', () => {
    for (const value of ['[]', '{}', 'not json'])
      expect(problemsOf({ ...base, TENANTS: value }).map((p) => p.key)).toEqual(['TENANTS']);
  });
});

describe('loadDeploymentWithTable (TENANTS_SOURCE=table)', () => {
  const env = { ...base, TENANTS_SOURCE: 'table', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };

  it('the rows are the tenants, validated like TENANTS; the reader gets the deployment configuration', async () => {
    let asked: string | null = null;
    const d = await loadDeploymentWithTable(env, (deployment) => {
      asked = deployment.env.TABLE_PREFIX;
      return Promise.resolve([
        { rowKey: A, name: 'Contoso', settings: '{"REMEDIATION_MODE":"enforce"}' },
        { rowKey: B.toLowerCase(), name: 'Fabrikam', settings: undefined },
      ]);
    });
    expect(asked).toBe('apm');
    expect(d.multiTenant).toBe(true);
    expect(d.tenants.map((t) => [t.key, t.name, t.config.policy.defaultMode])).toEqual([
      [A, 'Contoso', 'enforce'],
      [B.toLowerCase(), 'Fabrikam', 'plan'],
    ]);
  });

  it("a bad row is named by its row key (quoted when it is not a GUID), with every other row's problems", async () => {
    const problems = await loadDeploymentWithTable(env, () =>
      Promise.resolve([
        { rowKey: A, name: 'A', settings: '{not json' },
        { rowKey: 'x\u001b[31m', name: 'B', settings: '{}' },
        { rowKey: B, name: 'C', settings: '{"REMEDIATION_MODE":"bogus"}' },
      ]),
    ).then(
      () => [],
      (err: unknown) => (err instanceof ConfigError ? err.problems.map((p) => p.key) : [String(err)]),
    );
    expect(problems).toEqual([
      `Tenants[${A}].settings`,
      'Tenants["x\\u001b[31m"].id',
      `Tenants[${B}].settings.REMEDIATION_MODE`,
    ]);
  });

  it('refuses an empty table, and TENANTS together with the table', async () => {
    const keys = (e: Record<string, string>, rows: TenantRow[]) =>
      loadDeploymentWithTable(e, () => Promise.resolve(rows)).then(
        () => [],
        (err: unknown) => (err as ConfigError).problems.map((p) => p.key),
      );
    expect(await keys(env, [])).toEqual(['TENANTS_SOURCE']);
    expect(await keys({ ...env, TENANTS: '[]' }, [{ rowKey: A, name: 'A', settings: '{}' }])).toEqual(['TENANTS']);
  });

  it('without TENANTS_SOURCE=table the table is never read', async () => {
    const d = await loadDeploymentWithTable({ GRAPH_TOKEN: 't' }, () => Promise.reject(new Error('read')));
    expect(d.multiTenant).toBe(false);
  });
});

describe('tenant display names', () => {
  it('refuses markup, control characters and text-direction controls (a name that could pass for another)', () => {
    for (const name of ['<b>x</b>', 'a\u0007b', 'Contoso\u202Eoslaw', 'x\u2066y\u2069', 'line\u2028break', ''])
      expect(
        problemsOf({ ...base, TENANTS: JSON.stringify([{ id: A, name }]) }).map((p) => p.key),
        JSON.stringify(name),
      ).toEqual(['TENANTS[0].name']);
    expect(
      loadDeployment({ ...base, TENANTS: JSON.stringify([{ id: A, name: 'Société Générale (EU) — 東京' }]) }).tenants[0]
        ?.name,
    ).toBe('Société Générale (EU) — 東京');
  });

  it('refuses two tenants whose names differ only in case, width or spacing: alerts and the overview show names', () => {
    for (const [first, second] of [
      ['Contoso', 'Contoso'],
      ['Contoso', 'CONTOSO'],
      ['Contoso Ltd', ' contoso  ltd '],
      ['Contoso', 'Ｃｏｎｔｏｓｏ'],
    ])
      expect(
        problemsOf({
          ...base,
          TENANTS: JSON.stringify([
            { id: A, name: first },
            { id: B, name: second },
          ]),
        }),
        `${first} / ${second}`,
      ).toEqual([{ key: 'TENANTS[1].name', message: 'the same name as TENANTS[0] (names must tell tenants apart)' }]);
  });
});
