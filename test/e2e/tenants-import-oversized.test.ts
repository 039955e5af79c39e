import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../support/azurite.js';
import { uniqueTablePrefix, type Azurite } from '../support/harness.js';
import { runCli } from './cli-process.js';

// `tenants import`: "A file with any problem writes nothing and lists every problem (exit 2)". An oversized row
// (settings longer than one table property holds) is a problem of the file, like any other.

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0b0b0b0b-2222-4222-8222-00000000000b';

let azurite: Azurite;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await withAzurite();
  dir = mkdtempSync(join(tmpdir(), 'apm-tenants-'));
  env = {
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: uniqueTablePrefix('oversized'),
    GRAPH_AUTH: 'federated',
    AZURE_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
    TENANTS_SOURCE: 'table',
  };
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await azurite.stop();
});

describe('tenants import with an oversized row', () => {
  it('is a usage/config error (exit 2) naming the row, not an aborted run (exit 1)', async () => {
    const path = join(dir, 'big.json');
    writeFileSync(
      path,
      JSON.stringify([
        { id: A, name: 'Contoso' },
        {
          id: B,
          name: 'Fabrikam',
          settings: {
            DEVICE_PREP_GROUPS: [{ groupId: '9a000000-0000-4000-8000-000000000001', policyName: 'P'.repeat(40_000) }],
          },
        },
      ]),
    );
    const run = await runCli(['tenants', 'import', path], env);
    expect(run.stderr).toContain(B);
    expect(run.stderr).not.toMatch(/^Run aborted/);
    expect(run.code, run.stderr).toBe(2);
    const list = await runCli(['tenants', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
