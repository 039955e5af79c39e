import type { GraphHealth } from '../../ports/index.js';
import type { HealthCheck } from './types.js';

// Which credential the app picked, and for which tenant the token was issued. A token for the wrong tenant is a
// classic first-run mistake (a client secret from a test tenant, an Azure CLI signed in elsewhere): every read then
// succeeds against the wrong fleet. The token's own `tid` claim is the answer; the configured tenant is compared.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CredentialInfo {
  /** How the credential was chosen, in an operator's words (never a secret). */
  readonly description: string;
  /** The Entra tenant the configuration names, when it names one. */
  readonly configuredTenantId: string | null;
}

export function credentialCheck(info: CredentialInfo, graph: GraphHealth | null): HealthCheck {
  const tokenTenant = graph?.tokenTenantId ?? null;
  const data = {
    credential: info.description,
    configuredTenantId: info.configuredTenantId,
    tokenTenantId: tokenTenant,
  };
  if (graph === null || (!graph.reachable && graph.detail.startsWith('token:'))) {
    return {
      name: 'credential',
      status: 'failing',
      detail: `${info.description}: no token (${graph?.detail ?? 'not tried'})`,
      data,
    };
  }
  // AZURE_TENANT_ID may be a domain name (contoso.onmicrosoft.com): only a GUID can be compared with `tid`.
  if (
    tokenTenant !== null &&
    info.configuredTenantId !== null &&
    GUID.test(info.configuredTenantId) &&
    tokenTenant.toLowerCase() !== info.configuredTenantId.toLowerCase()
  ) {
    return {
      name: 'credential',
      status: 'failing',
      detail: `${info.description}: the token is for tenant ${tokenTenant}, not the configured ${info.configuredTenantId}`,
      data,
    };
  }
  const tenant = tokenTenant ?? info.configuredTenantId;
  return {
    name: 'credential',
    status: 'ok',
    detail: `${info.description}; token for tenant ${tenant ?? 'unknown (the token names none)'}`,
    data,
  };
}
