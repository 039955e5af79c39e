import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { adminConsentUrl, NOT_CONSENTED_CODES } from '../../../shared/app/health/credential-check.js';
import { GRAPH_PERMISSIONS, type GraphPermission } from '../../../shared/core/permissions/index.js';

// docs/tenant-consent.md: how a customer tenant is onboarded. The permission table is generated from the ONE list
// (shared/core/permissions/graph-permissions.json), so the page cannot drift from what the consent prompt asks.
// Regenerate after changing the list:
//   UPDATE_DOCS=1 npx vitest run test/unit/docs/tenant-consent.test.ts

const path = resolve(import.meta.dirname, '../../../docs/tenant-consent.md');
const BEGIN =
  '<!-- permissions:begin (generated from graph-permissions.json by test/unit/docs/tenant-consent.test.ts) -->';
const END = '<!-- permissions:end -->';

function firstSentence(text: string): string {
  const i = text.indexOf('. ');
  return (i < 0 ? text : text.slice(0, i + 1)).replace(/\|/g, '\\|');
}

function permissionTable(list: readonly GraphPermission[]): string {
  const rows = list.map((p) => `| \`${p.permission}\` | ${p.requiredFor} | ${firstSentence(p.justification)} |`);
  return ['| Permission (application) | Tier | What for |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('docs/tenant-consent.md', () => {
  let doc = readFileSync(path, 'utf8');

  it('the permission table is the one generated from graph-permissions.json', () => {
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const current = doc.slice(start + BEGIN.length, end).trim();
    const wanted = permissionTable(GRAPH_PERMISSIONS);
    if (process.env.UPDATE_DOCS === '1' && current !== wanted) {
      doc = `${doc.slice(0, start + BEGIN.length)}\n${wanted}\n${doc.slice(end)}`;
      writeFileSync(path, doc);
    }
    expect(current === wanted || process.env.UPDATE_DOCS === '1').toBe(true);
    for (const p of GRAPH_PERMISSIONS) expect(doc).toContain(`| \`${p.permission}\` | ${p.requiredFor} |`);
  });

  it('shows the consent link in the format the health check prints and infra outputs', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const app = '0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d';
    const template = 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={appId}';
    expect(doc).toContain(template);
    expect(adminConsentUrl(tenant, app)).toBe(template.replace('{tenantId}', tenant).replace('{appId}', app));
    expect(read('infra/app/multi-tenant-app.bicep')).toContain(`'${template.replace('{appId}', '${app.appId}')}'`);
  });

  it('names every Entra error the health check reads as "not consented", and how to verify and revoke', () => {
    for (const code of NOT_CONSENTED_CODES) expect(doc).toContain(`AADSTS${code}`);
    expect(doc).toContain('not consented in tenant');
    expect(doc).toMatch(/## Revoke/);
    expect(doc).toContain('GRAPH_AUTH=federated');
    expect(doc).toContain('multiTenant');
  });

  it('cites Microsoft Learn pages by title and locale-free address', () => {
    const links = [...doc.matchAll(/\]\((https:\/\/learn\.microsoft\.com\/[^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const l of links) expect(l).not.toMatch(/\/[a-z]{2}-[a-z]{2}\//);
    for (const page of [
      'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent',
      'https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity',
      'https://learn.microsoft.com/entra/identity/enterprise-apps/manage-application-permissions',
      'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
    ])
      expect(links).toContain(page);
  });
});

function read(rel: string): string {
  return readFileSync(resolve(import.meta.dirname, '../../..', rel), 'utf8');
}
