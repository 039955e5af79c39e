import { describe, expect, it } from 'vitest';

import { entraErrorCodes } from '../../../../shared/adapters/graph/probe.js';
import {
  adminConsentUrl,
  credentialCheck,
  type CredentialInfo,
  NOT_CONSENTED_CODES,
} from '../../../../shared/app/health/credential-check.js';
import { permissionCheck } from '../../../../shared/app/health/permission-check.js';
import { credentialOf } from '../../../../shared/composition/health.js';
import { loadConfig } from '../../../../shared/config/index.js';
import { GRAPH_PERMISSIONS } from '../../../../shared/core/permissions/index.js';
import type { GraphHealth } from '../../../../shared/ports/index.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d';
const FEDERATED: CredentialInfo = { description: 'federated app', configuredTenantId: TENANT, consentAppId: APP };

const noToken = (codes: string[], detail = 'token: ClientAuthenticationError: (redacted)'): GraphHealth => ({
  grantedPermissions: [],
  reachable: false,
  tokenErrorCodes: codes,
  detail,
});

describe('credential check: consent per tenant', () => {
  it.each([...NOT_CONSENTED_CODES])('AADSTS%s: not consented, with the admin-consent link of THAT tenant', (code) => {
    const check = credentialCheck(FEDERATED, noToken([code]));
    expect(check.status).toBe('failing');
    expect(check.detail).toBe(
      `federated app: not consented in tenant ${TENANT}: an admin of that tenant opens ` +
        `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${APP} (AADSTS${code})`,
    );
    expect(check.data).toMatchObject({ consentUrl: adminConsentUrl(TENANT, APP), configuredTenantId: TENANT });
  });

  it('other token failures (a bad assertion, an unreachable identity endpoint) keep the generic message', () => {
    const check = credentialCheck(FEDERATED, noToken(['700211'], 'token: AADSTS700211: no matching federated id'));
    expect(check.status).toBe('failing');
    expect(check.detail).toBe('federated app: no token (token: AADSTS700211: no matching federated id)');
    expect(check.detail).not.toContain('adminconsent');
  });

  it('prints no link without an app to consent to (managed identity) or when an id is not a GUID', () => {
    const mi = credentialCheck({ description: 'managed identity', configuredTenantId: null }, noToken(['700016']));
    expect(mi.detail).not.toContain('adminconsent');
    const domain = credentialCheck(
      { description: 'secret', configuredTenantId: 'contoso.onmicrosoft.com', consentAppId: APP },
      noToken(['700016']),
    );
    expect(domain.detail).not.toContain('adminconsent');
    expect(adminConsentUrl(TENANT, `${APP}&redirect_uri=https://evil.test`)).toBeNull();
    expect(adminConsentUrl(`${TENANT}/../x`, APP)).toBeNull();
  });

  it('a consented tenant is ok and says which tenant the token is for', () => {
    const check = credentialCheck(FEDERATED, {
      grantedPermissions: ['Device.Read.All'],
      tokenTenantId: TENANT,
      reachable: true,
      detail: 'ok',
    });
    expect(check.status).toBe('ok');
    expect(check.detail).toContain(`token for tenant ${TENANT}`);
  });
});

describe('probe: Entra error codes from a token failure', () => {
  it('keeps only the digits of each AADSTS code, deduplicated and bounded', () => {
    expect(
      entraErrorCodes(
        'ClientAuthenticationError: AADSTS700016: Application ... AADSTS700016 again; <img src=x> AADSTS7000229.',
      ),
    ).toEqual(['700016', '7000229']);
    expect(entraErrorCodes('no code here, AADSTSabc')).toEqual([]);
    const many = Array.from({ length: 20 }, (_, i) => `AADSTS${100000 + i}`).join(' ');
    expect(entraErrorCodes(many)).toHaveLength(5);
  });
});

describe('permission check names the tenant', () => {
  const readOnly = GRAPH_PERMISSIONS.filter((p) => p.requiredFor === 'read').map((p) => p.permission);

  it('a missing permission is reported for the tenant the token is for (in the data; the detail reads as for one tenant)', () => {
    const check = permissionCheck({
      probe: { grantedPermissions: readOnly.slice(1), tokenTenantId: TENANT, reachable: true, detail: 'ok' },
      tokenKind: 'application',
      enforcedActions: [],
      tenantId: TENANT,
    });
    expect(check.status).toBe('failing');
    expect(check.detail).toMatch(/^polls and sweeps abort: missing read permissions/);
    expect(check.data).toMatchObject({ tenantId: TENANT });
  });

  it('a tenant that is not a GUID is not echoed; everything granted needs no tenant prefix', () => {
    const hostile = permissionCheck({
      probe: { grantedPermissions: ['Device.Read.All'], reachable: true, detail: 'ok' },
      tokenKind: 'application',
      enforcedActions: [],
      tenantId: '<script>alert(1)</script>',
    });
    expect(hostile.detail).not.toContain('<script>');
    expect(hostile.data).toMatchObject({ tenantId: null });
    expect(hostile.detail.startsWith('polls and sweeps abort')).toBe(true);
    const all = permissionCheck({
      probe: {
        grantedPermissions: GRAPH_PERMISSIONS.map((p) => p.permission),
        tokenTenantId: TENANT,
        reachable: true,
        detail: 'ok',
      },
      tokenKind: 'application',
      enforcedActions: [],
      tenantId: TENANT,
    });
    expect(all.detail).toBe('every required permission is granted');
  });
});

describe('credentialOf (composition): the federated credential in an operator\u2019s words, ids only', () => {
  it('names the app, the tenant and the identity, carries the app to consent to, and no secret', () => {
    const info = credentialOf(
      loadConfig({
        GRAPH_AUTH: 'federated',
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: APP,
        MANAGED_IDENTITY_CLIENT_ID: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
      }),
    );
    expect(info).toEqual({
      description: `app ${APP} in tenant ${TENANT}, federated with the managed identity (user-assigned, client id 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d; no secret)`,
      configuredTenantId: TENANT,
      consentAppId: APP,
    });
  });

  it('a client secret also carries its app (a multi-tenant app with a secret is consented the same way)', () => {
    const info = credentialOf(
      loadConfig({
        GRAPH_AUTH: 'client-secret',
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: APP,
        AZURE_CLIENT_SECRET: 'x',
      }),
    );
    expect(info.consentAppId).toBe(APP);
    expect(JSON.stringify(info)).not.toContain('S3cr3tValue');
  });
});
