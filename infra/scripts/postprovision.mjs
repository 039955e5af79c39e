#!/usr/bin/env node
// azd postprovision hook (azure.yaml runs it from sh and from pwsh): the Microsoft Graph application permissions
// the function app's identity needs. Granting them takes a Privileged Role Administrator or Global Administrator,
// which most deployers are not, so `azd up` never grants them by default (grantGraphPermissions=false). This hook
// prints the exact list and the one command an administrator runs; when the signed-in deployer holds one of those
// roles (active, not just eligible) and bash is available, it runs that command itself. It never fails `azd up`
// because the deployer lacks the role: the app then starts, and `autopilot-medic health` names what is missing.
//
// Roles: "Microsoft Entra built-in roles" (Privileged Role Administrator e8611ab8-c189-46e8-94e1-60213ab1f814,
// Global Administrator 62e90394-69f5-4237-9190-012177145e10), https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
// Granting: "Grant or revoke API permissions programmatically", https://learn.microsoft.com/graph/permissions-grant-via-msgraph
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const GRANTING_ROLES = new Map([
  ['e8611ab8-c189-46e8-94e1-60213ab1f814', 'Privileged Role Administrator'],
  ['62e90394-69f5-4237-9190-012177145e10', 'Global Administrator'],
]);

const env = process.env;
const out = (line = '') => process.stdout.write(`${line}\n`);

// multiTenant: Graph is called as the multi-tenant app (GRAPH_AUTH=federated), so the roles in this tenant belong to
// the app's service principal, and every other tenant is onboarded by its own admin's consent (docs/tenant-consent.md).
const multiTenant = env.MULTI_TENANT === 'true';
if (multiTenant) {
  const template = env.ADMIN_CONSENT_URL_TEMPLATE ?? '';
  out('Many tenants (multiTenant=true): an admin of each customer tenant opens, with {tenantId} replaced by that');
  out(`tenant's id: ${template || '(ADMIN_CONSENT_URL_TEMPLATE not set)'}`);
  out('See docs/tenant-consent.md; `autopilot-medic health` reports consent and permissions per tenant.');
  out('');
}

if (env.GRAPH_PERMISSIONS_GRANTED_BY_BICEP === 'true') {
  out('Graph permissions: granted by the Bicep deployment (grantGraphPermissions=true).');
  process.exit(0);
}

const principalVar = multiTenant ? 'MULTI_TENANT_APP_SP_ID' : 'MANAGED_IDENTITY_PRINCIPAL_ID';
const principalId = env[principalVar] ?? '';
if (!/^[0-9a-fA-F-]{36}$/.test(principalId)) {
  process.stderr.write(
    `postprovision: ${principalVar} is not set; run it from \`azd provision\` (azd sets the outputs).\n`,
  );
  process.exit(1);
}
const tiers = (env.GRAPH_PERMISSION_TIERS ?? 'read,report,remediate')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const list = JSON.parse(readFileSync(join(here, '../../shared/core/permissions/graph-permissions.json'), 'utf8'));
const wanted = list.filter((p) => tiers.includes(p.requiredFor));
const grantScript = join(here, 'grant-graph-permissions.sh');
const command = `bash infra/scripts/grant-graph-permissions.sh --principal-id ${principalId} --tiers ${tiers.join(',')}`;

out(
  multiTenant
    ? 'Graph permissions: in this tenant, the multi-tenant app needs these Microsoft Graph application permissions:'
    : "Graph permissions: the function app's managed identity needs these Microsoft Graph application permissions:",
);
for (const p of wanted) out(`  - ${p.permission} (${p.requiredFor})`);
out('');

const role = grantingRole();
if (role === null) {
  out('The signed-in deployer does not hold an active Privileged Role Administrator or Global Administrator role,');
  out('so nothing was granted. An administrator runs, from this folder (bash, Azure CLI signed in to this tenant):');
  out(`  ${command}`);
  out('Until then the app runs, and `autopilot-medic health` lists each missing permission.');
  process.exit(0);
}
if (!hasBash()) {
  out(`You hold ${role}, but bash is not on PATH here; run this from a bash shell (WSL, Git Bash or Cloud Shell):`);
  out(`  ${command}`);
  process.exit(0);
}
out(`You hold ${role}: granting now (idempotent; permissions already granted are skipped).`);
const granted = spawnSync('bash', [grantScript, '--principal-id', principalId, '--tiers', tiers.join(',')], {
  stdio: 'inherit',
});
if (granted.status !== 0) {
  process.stderr.write(
    `postprovision: the grant failed (exit ${granted.status ?? 'signal'}); run it again by hand:\n  ${command}\n`,
  );
  process.exit(1);
}

/** The granting role the signed-in user holds, or null (not signed in as a user, no such role, az missing). */
function grantingRole() {
  const res = spawnSync(
    'az',
    [
      'rest',
      '--method',
      'get',
      '--url',
      'https://graph.microsoft.com/v1.0/me/memberOf/microsoft.graph.directoryRole?$select=roleTemplateId',
    ],
    {
      encoding: 'utf8',
      shell: process.platform === 'win32', // az is az.cmd on Windows
    },
  );
  if (res.status !== 0) return null;
  try {
    for (const r of JSON.parse(res.stdout).value ?? []) {
      const name = GRANTING_ROLES.get(String(r.roleTemplateId).toLowerCase());
      if (name) return name;
    }
  } catch {
    return null;
  }
  return null;
}

function hasBash() {
  return spawnSync('bash', ['-c', 'exit 0']).status === 0;
}
