import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../support/azurite.js';
import { uniqueTablePrefix, type Azurite } from '../support/harness.js';
import { runCli } from './cli-process.js';

// `autopilot-medic tenants`, the built CLI as a process against Azurite: a file is checked exactly as the deployment
// will check it before anything is written (a bad file writes nothing and lists every problem, exit 2); a good one
// replaces the table; `list` shows which settings each tenant overrides, never their values.

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0b0b0b0b-2222-4222-8222-00000000000b';

let azurite: Azurite;
let dir: string;
let env: Record<string, string>;

const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

beforeAll(async () => {
  azurite = await withAzurite();
  dir = mkdtempSync(join(tmpdir(), 'apm-tenants-'));
  env = {
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: uniqueTablePrefix('cli'),
    GRAPH_AUTH: 'federated',
    AZURE_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
    TENANTS_SOURCE: 'table',
  };
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await azurite.stop();
});

describe('autopilot-medic tenants', () => {
  it('a file with problems writes nothing and names every problem', async () => {
    const bad = file('bad.json', [
      { id: A, name: 'Contoso', settings: { REMEDIATION_MODE: 'bogus' } },
      { id: 'not-a-guid', name: 'Fabrikam' },
      { id: B, name: 'Northwind', settings: { STORAGE_TABLE_ENDPOINT: 'https://x' } },
    ]);
    const run = await runCli(['tenants', 'import', bad], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Tenants[${A}].settings.REMEDIATION_MODE`);
    expect(run.stderr).toContain('Tenants["not-a-guid"].id');
    expect(run.stderr).toContain(`Tenants[${B}].settings.STORAGE_TABLE_ENDPOINT`);
    const list = await runCli(['tenants', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a good file replaces the table; list shows override names, never values', async () => {
    const secretUrl = 'https://hooks.example/very-secret-path';
    const good = file('good.json', [
      {
        id: A,
        name: 'Contoso',
        settings: {
          REMEDIATION_MODE: 'enforce',
          WEBHOOK_URL: secretUrl,
          WEBHOOK_SECRET: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
        },
      },
      { id: B, name: 'Fabrikam' },
    ]);
    const imported = await runCli(['tenants', 'import', good], env);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('2 tenant(s) written, 0 removed');
    const list = await runCli(['tenants', 'list'], env);
    expect(list.stdout).toContain('Contoso');
    expect(list.stdout).toContain('REMEDIATION_MODE, WEBHOOK_SECRET, WEBHOOK_URL');
    expect(list.stdout).not.toContain('very-secret-path');

    const smaller = await runCli(['tenants', 'import', file('one.json', [{ id: B, name: 'Fabrikam' }])], env);
    expect(smaller.stdout).toContain('1 tenant(s) written, 1 removed');
    const after = JSON.parse((await runCli(['tenants', 'list', '--json'], env)).stdout) as { id: string }[];
    expect(after.map((t) => t.id)).toEqual([B]);
  });
});
