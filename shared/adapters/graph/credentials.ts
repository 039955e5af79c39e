import {
  type AccessToken,
  AzureCliCredential,
  ClientAssertionCredential,
  type ClientAssertionCredentialOptions,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { GraphAuth } from '../../config/index.js';
import { unlessAborted } from './abortable-sleep.js';

// Bearer tokens for Graph. Tokens are never logged or put into error messages.
//
// App-only tokens for Microsoft Graph are always requested for `https://graph.microsoft.com/.default`,
// whatever GRAPH_BASE_URL says: a Graph-compatible endpoint (the simulator, a proxy) is not an Entra
// resource with its own audience, so it is reached with a static token (GRAPH_AUTH=static-token) instead.

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenProvider {
  /** `signal`: this caller stops waiting when it fires (a token request shared with other callers goes on). */
  getToken(signal?: AbortSignal): Promise<string>;
}

export function staticTokenProvider(token: string): TokenProvider {
  if (token === '') throw new RangeError('static Graph token is empty');
  return { getToken: () => Promise.resolve(token) };
}

/** Refresh this long before expiry when the credential gives no refresh hint. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/**
 * A token request still unanswered after this is given up, and the next caller asks again: a stalled identity
 * endpoint must not hold every later request of the instance behind one promise that never settles.
 */
const TOKEN_REQUEST_TIMEOUT_MS = 60_000;

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
    async getToken(signal) {
      if (cached && fresh(cached)) return cached.token;
      if (pending === null) {
        const limit = AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS);
        // The limit also goes to the credential (@azure/identity's GetTokenOptions.abortSignal), which ends its
        // request; unlessAborted ends the wait even for a credential that ignores it.
        pending = unlessAborted(credential.getToken(scope, { abortSignal: limit }), limit)
          .then((t) => {
            if (!t) throw new Error(`credential returned no token for ${scope}`);
            cached = t;
            return t;
          })
          .finally(() => {
            pending = null;
          });
      }
      return (await unlessAborted(pending, signal)).token;
    },
  };
}

/**
 * The audience Entra accepts for a managed identity's token used as a federated credential (Microsoft Learn:
 * "Configure an application to trust a managed identity",
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
 * This is the public cloud's audience (national clouds use their own, e.g. api://AzureADTokenExchangeUSGov), like
 * the Graph scope above and the admin-consent link the health check prints.
 */
export const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

type FederatedAuth = Extract<GraphAuth, { kind: 'federated' }>;

/**
 * GRAPH_AUTH=federated: the multi-tenant app registration `clientId` signs in to the customer tenant `tenantId`
 * with a client assertion instead of a secret; the assertion is this deployment's managed-identity token for
 * api://AzureADTokenExchange, which Entra accepts because the app has a federated identity credential trusting
 * that identity (issuer https://login.microsoftonline.com/<home tenant>/v2.0, subject = the identity's principal
 * id). One identity token serves every tenant: only the app's service principal differs per tenant.
 *
 * ClientAssertionCredential asks for an assertion whenever it needs a new Graph token; the identity token lives
 * for hours, so it is cached (until 5 minutes before expiry, or the identity's refresh hint) and one request is
 * shared between concurrent callers, as for Graph tokens.
 *
 * `options` is for what the defaults cannot know: a sovereign cloud's authority host, or a test's loopback
 * authority. It configures only the exchange with Entra, not the identity endpoint (App Service / IMDS).
 */
export function federatedCredential(
  auth: FederatedAuth,
  options: ClientAssertionCredentialOptions = {},
  identity: TokenCredential = auth.managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: auth.managedIdentityClientId })
    : new ManagedIdentityCredential(),
): ClientAssertionCredential {
  const assertion = credentialTokenProvider(identity, TOKEN_EXCHANGE_SCOPE);
  return new ClientAssertionCredential(auth.tenantId, auth.clientId, () => assertion.getToken(), options);
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
    case 'federated':
      return credentialTokenProvider(federatedCredential(auth));
  }
}
