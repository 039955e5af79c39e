import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { GRAPH_PERMISSIONS } from '../../../shared/core/permissions/index.js';

// infra/scripts/grant-graph-permissions.sh against a fake `az` on PATH that plays Microsoft Graph: it serves
// Graph's service principal and the identity's existing assignments (two pages) and records every call.

const script = resolve(import.meta.dirname, '../../../infra/scripts/grant-graph-permissions.sh');
const PRINCIPAL = '11111111-2222-4333-8444-555555555555';
const GRAPH_SP = '99999999-8888-4777-8666-555555555555';

const FAKE_AZ = `#!/usr/bin/env node
const fs = require('fs');
const dir = process.env.FAKE_AZ_DIR;
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const method = opt('--method'), url = opt('--url');
fs.appendFileSync(dir + '/calls.log', JSON.stringify({ method, url, body: opt('--body') ?? null }) + '\\n');
const send = (file) => process.stdout.write(fs.readFileSync(dir + '/' + file, 'utf8'));
if (method === 'get' && url.includes('/me/memberOf/')) { if (fs.existsSync(dir + '/roles.json')) send('roles.json'); else { process.stderr.write('not a user'); process.exit(1); } }
else if (method === 'get' && url.includes("servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")) send('graph-sp.json');
else if (method === 'get' && url.endsWith('/appRoleAssignments')) send('page1.json');
else if (method === 'get' && url.includes('skiptoken=2')) send('page2.json');
else if (method === 'post') process.stdout.write('{}');
else { process.stderr.write('unexpected call ' + method + ' ' + url); process.exit(3); }
`;

let dir = '';

function setup(opts: { assigned: readonly string[]; roleIdOverride?: Record<string, string> }): void {
  dir = mkdtempSync(join(tmpdir(), 'grant-script-'));
  writeFileSync(join(dir, 'az'), FAKE_AZ);
  chmodSync(join(dir, 'az'), 0o755);
  const appRoles = GRAPH_PERMISSIONS.map((p) => ({
    id: opts.roleIdOverride?.[p.permission] ?? p.appRoleId,
    value: p.permission,
    allowedMemberTypes: ['Application'],
  }));
  appRoles.push({
    id: '00000000-0000-4000-8000-00000000abcd',
    value: 'User.Read.All',
    allowedMemberTypes: ['Application'],
  });
  writeFileSync(join(dir, 'graph-sp.json'), JSON.stringify({ id: GRAPH_SP, appRoles }));
  const assignment = (permission: string) => ({
    resourceId: GRAPH_SP,
    appRoleId: GRAPH_PERMISSIONS.find((p) => p.permission === permission)?.appRoleId?.toUpperCase(),
  });
  const [first, ...rest] = opts.assigned;
  writeFileSync(
    join(dir, 'page1.json'),
    JSON.stringify({
      value: [
        { resourceId: 'some-other-api', appRoleId: '00000000-0000-4000-8000-000000000001' },
        ...(first ? [assignment(first)] : []),
      ],
      '@odata.nextLink': `https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments?$skiptoken=2`,
    }),
  );
  writeFileSync(join(dir, 'page2.json'), JSON.stringify({ value: rest.map(assignment) }));
}

function run(...args: string[]) {
  const result = spawnSync('bash', [script, '--principal-id', PRINCIPAL, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      FAKE_AZ_DIR: dir,
      MANAGED_IDENTITY_PRINCIPAL_ID: '',
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    posts: calls().filter((c) => c.method === 'post'),
  };
}

function calls(): { method: string; url: string; body: string | null }[] {
  if (!existsSync(join(dir, 'calls.log'))) return [];
  return readFileSync(join(dir, 'calls.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { method: string; url: string; body: string | null });
}

const grantedIds = (posts: { body: string | null }[]) =>
  posts.map((p) => (JSON.parse(p.body ?? '{}') as { appRoleId: string }).appRoleId).sort();
const ids = (names: readonly string[]) =>
  GRAPH_PERMISSIONS.filter((p) => names.includes(p.permission))
    .map((p) => p.appRoleId ?? '')
    .sort();

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('grant-graph-permissions.sh (fake az)', () => {
  it('grants only what is missing, reading existing assignments across pages (idempotent)', () => {
    const assigned = ['Device.Read.All', 'Group.ReadWrite.All'];
    setup({ assigned });
    const { status, stdout, posts } = run();
    expect(status).toBe(0);
    const missing = GRAPH_PERMISSIONS.map((p) => p.permission).filter((p) => !assigned.includes(p));
    expect(grantedIds(posts)).toEqual(ids(missing));
    for (const post of posts) {
      expect(post.url).toBe(`https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`);
      expect(JSON.parse(post.body ?? '{}')).toMatchObject({ principalId: PRINCIPAL, resourceId: GRAPH_SP });
    }
    expect(stdout).toContain(`summary: ${missing.length} granted, 2 already present, 0 missing`);
  });

  it('grants nothing when everything is present', () => {
    setup({ assigned: GRAPH_PERMISSIONS.map((p) => p.permission) });
    const { status, posts } = run();
    expect(status).toBe(0);
    expect(posts).toEqual([]);
  });

  it('--tiers limits the grant (plan mode needs read and report only)', () => {
    setup({ assigned: [] });
    const { status, posts } = run('--tiers', 'read,report');
    expect(status).toBe(0);
    expect(grantedIds(posts)).toEqual(
      ids(GRAPH_PERMISSIONS.filter((p) => p.requiredFor !== 'remediate').map((p) => p.permission)),
    );
  });

  it('--check reports what is missing, grants nothing and exits 1', () => {
    setup({ assigned: ['Device.Read.All'] });
    const { status, stdout, posts } = run('--check');
    expect(status).toBe(1);
    expect(posts).toEqual([]);
    expect(stdout).toContain('MISSING  Group.ReadWrite.All (remediate)');
    expect(stdout).toContain('present  Device.Read.All (read)');
  });

  it('refuses to grant when the list and the tenant disagree on an app role id', () => {
    setup({ assigned: [], roleIdOverride: { 'Device.Read.All': '00000000-0000-4000-8000-0000000000ff' } });
    const { status, stderr, posts } = run();
    expect(status).toBe(2);
    expect(posts).toEqual([]);
    expect(stderr).toContain('Device.Read.All is 00000000-0000-4000-8000-0000000000ff in this tenant');
  });
});

// infra/scripts/postprovision.mjs: the azd hook. It prints the list and the command, and grants only when the
// signed-in deployer holds an active Privileged Role Administrator or Global Administrator role.
const hook = resolve(import.meta.dirname, '../../../infra/scripts/postprovision.mjs');
const PRIVILEGED_ROLE_ADMIN = 'e8611ab8-c189-46e8-94e1-60213ab1f814';

function runHook(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [hook], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      FAKE_AZ_DIR: dir,
      MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL,
      GRAPH_PERMISSIONS_GRANTED_BY_BICEP: 'false',
      ...env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    posts: calls().filter((c) => c.method === 'post'),
  };
}

describe('postprovision hook (fake az)', () => {
  it('a deployer without the role: lists every permission and the one command, grants nothing, does not fail azd up', () => {
    setup({ assigned: [] });
    const { status, stdout, posts } = runHook({});
    expect(status).toBe(0);
    expect(posts).toEqual([]);
    for (const p of GRAPH_PERMISSIONS) expect(stdout).toContain(`  - ${p.permission} (${p.requiredFor})`);
    expect(stdout).toContain(
      `bash infra/scripts/grant-graph-permissions.sh --principal-id ${PRINCIPAL} --tiers read,report,remediate`,
    );
    expect(stdout).toContain('nothing was granted');
  });

  it('a Privileged Role Administrator: the hook grants what is missing, for the tiers the deployment chose', () => {
    setup({ assigned: ['Device.Read.All'] });
    writeFileSync(
      join(dir, 'roles.json'),
      JSON.stringify({
        value: [{ roleTemplateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' }, { roleTemplateId: PRIVILEGED_ROLE_ADMIN }],
      }),
    );
    const { status, stdout, posts } = runHook({ GRAPH_PERMISSION_TIERS: 'read,report' });
    expect(status).toBe(0);
    expect(stdout).toContain('You hold Privileged Role Administrator: granting now');
    const wanted = GRAPH_PERMISSIONS.filter(
      (p) => p.requiredFor !== 'remediate' && p.permission !== 'Device.Read.All',
    ).map((p) => p.permission);
    expect(grantedIds(posts)).toEqual(ids(wanted));
  });

  it('another directory role is not enough', () => {
    setup({ assigned: [] });
    writeFileSync(
      join(dir, 'roles.json'),
      JSON.stringify({ value: [{ roleTemplateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' }] }),
    );
    const { status, posts } = runHook({});
    expect(status).toBe(0);
    expect(posts).toEqual([]);
  });

  it('granted by Bicep: says so and calls nothing', () => {
    setup({ assigned: [] });
    const { status, stdout } = runHook({ GRAPH_PERMISSIONS_GRANTED_BY_BICEP: 'true' });
    expect(status).toBe(0);
    expect(stdout).toContain('granted by the Bicep deployment');
    expect(calls()).toEqual([]);
  });

  it("multi-tenant: prints the consent link template and grants to the app's service principal, not the identity", () => {
    setup({ assigned: [] });
    const appSp = '33333333-4444-4555-8666-777777777777';
    const template =
      'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id=0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d';
    const { status, stdout, posts } = runHook({
      MULTI_TENANT: 'true',
      MULTI_TENANT_APP_SP_ID: appSp,
      ADMIN_CONSENT_URL_TEMPLATE: template,
    });
    expect(status).toBe(0);
    expect(posts).toEqual([]);
    expect(stdout).toContain(template);
    expect(stdout).toContain('docs/tenant-consent.md');
    expect(stdout).toContain(`--principal-id ${appSp} `);
    expect(stdout).not.toContain(`--principal-id ${PRINCIPAL} `);
  });

  it("multi-tenant without the app's service principal id: fails loudly instead of granting the identity", () => {
    setup({ assigned: [] });
    const { status, stderr } = runHook({ MULTI_TENANT: 'true', MULTI_TENANT_APP_SP_ID: '' });
    expect(status).toBe(1);
    expect(stderr).toContain('MULTI_TENANT_APP_SP_ID is not set');
  });
});
