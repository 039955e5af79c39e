import {
  type AccessToken,
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { GraphAuth } from '../../config/index.js';

// Bearer tokens for Graph. Tokens are never logged or put into error messages.
//
// App-only tokens for Microsoft Graph are always requested for `https://graph.microsoft.com/.default`,
// whatever GRAPH_BASE_URL says: a Graph-compatible endpoint (the simulator, a proxy) is not an Entra
// resource with its own audience, so it is reached with a static token (GRAPH_AUTH=static-token) instead.

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenProvider {
  getToken(): Promise<string>;
}

export function staticTokenProvider(token: string): TokenProvider {
  if (token === '') throw new RangeError('static Graph token is empty');
  return { getToken: () => Promise.resolve(token) };
}

/** Refresh this long before expiry when the credential gives no refresh hint. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Wrap an @azure/identity credential: cache the token until its refresh time and share one in-flight
 * request between concurrent callers (a page burst must not hit IMDS once per request).
 */
export function credentialTokenProvider(
  credential: TokenCredential,
  scope: string = GRAPH_SCOPE,
  now: () => number = Date.now,
): TokenProvider {
  let cached: AccessToken | null = null;
  let pending: Promise<AccessToken> | null = null;
  const fresh = (t: AccessToken): boolean =>
    now() < (t.refreshAfterTimestamp ?? t.expiresOnTimestamp - EXPIRY_MARGIN_MS);
  return {
    async getToken() {
      if (cached && fresh(cached)) return cached.token;
      pending ??= credential
        .getToken(scope)
        .then((t) => {
          if (!t) throw new Error(`credential returned no token for ${scope}`);
          cached = t;
          return t;
        })
        .finally(() => {
          pending = null;
        });
      return (await pending).token;
    },
  };
}

/** Build the credential that GRAPH_AUTH selected. */
export function tokenProviderFor(auth: GraphAuth): TokenProvider {
  switch (auth.kind) {
    case 'static-token':
      return staticTokenProvider(auth.token);
    case 'managed-identity':
      // No clientId: the system-assigned identity; otherwise the user-assigned identity with that client id.
      return credentialTokenProvider(
        auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential(),
      );
    case 'client-secret':
      return credentialTokenProvider(new ClientSecretCredential(auth.tenantId, auth.clientId, auth.secret));
    case 'certificate':
      return credentialTokenProvider(
        new ClientCertificateCredential(auth.tenantId, auth.clientId, auth.certificatePath),
      );
    case 'azure-cli':
      return credentialTokenProvider(new AzureCliCredential(auth.tenantId ? { tenantId: auth.tenantId } : {}));
  }
}
