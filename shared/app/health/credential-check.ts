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
  /**
   * The app registration an admin of the configured tenant consents to (client secret, certificate, federated);
   * absent for a managed identity, a static token or the Azure CLI, which have nothing to consent to.
   */
  readonly consentAppId?: string | null;
}

/**
 * Entra errors that mean "this app has no (consented) service principal in that tenant": the fix is an admin of
 * that tenant granting consent, not a credential change. From Microsoft Learn, "Microsoft Entra authentication and
 * authorization error codes" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * - 700016: application not found in the directory (a multi-tenant app never added to that tenant; "Troubleshoot
 *   service principal authentication", https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal);
 * - 7000229: the client application is missing a service principal in the tenant;
 * - 65001: the user or administrator has not consented to use the application;
 * - 650052: the app needs a service principal the organisation lacks; consenting creates it.
 */
export const NOT_CONSENTED_CODES: ReadonlySet<string> = new Set(['700016', '7000229', '65001', '650052']);

/**
 * The tenant-wide admin consent link for an app in one tenant (Microsoft Learn: "Grant tenant-wide admin consent to
 * an application", https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent). Only GUIDs
 * are put into it: both come from configuration, and an operator is told to open the link.
 */
export function adminConsentUrl(tenantId: string, appId: string): string | null {
  if (!GUID.test(tenantId) || !GUID.test(appId)) return null;
  return `https://login.microsoftonline.com/${tenantId.toLowerCase()}/adminconsent?client_id=${appId.toLowerCase()}`;
}

export function credentialCheck(info: CredentialInfo, graph: GraphHealth | null): HealthCheck {
  const tokenTenant = graph?.tokenTenantId ?? null;
  const data = {
    credential: info.description,
    configuredTenantId: info.configuredTenantId,
    tokenTenantId: tokenTenant,
  };
  if (graph === null || (!graph.reachable && graph.detail.startsWith('token:'))) {
    const consent = notConsented(info, graph?.tokenErrorCodes ?? []);
    if (consent) {
      return {
        name: 'credential',
        status: 'failing',
        detail:
          `${info.description}: not consented in tenant ${consent.tenantId}: an admin of that tenant opens ` +
          `${consent.url} (AADSTS${consent.code})`,
        data: { ...data, consentUrl: consent.url, tokenErrorCodes: [...(graph?.tokenErrorCodes ?? [])] },
      };
    }
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

function notConsented(
  info: CredentialInfo,
  codes: readonly string[],
): { readonly tenantId: string; readonly url: string; readonly code: string } | null {
  const code = codes.find((c) => NOT_CONSENTED_CODES.has(c));
  if (code === undefined || !info.configuredTenantId || !info.consentAppId) return null;
  const url = adminConsentUrl(info.configuredTenantId, info.consentAppId);
  return url ? { tenantId: info.configuredTenantId.toLowerCase(), url, code } : null;
}
