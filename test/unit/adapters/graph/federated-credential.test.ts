import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  credentialTokenProvider,
  federatedCredential,
  TOKEN_EXCHANGE_SCOPE,
} from '../../../../shared/adapters/graph/credentials.js';
import { tokenTenant } from '../../../../shared/adapters/graph/jwt.js';
import { entraErrorCodes } from '../../../../shared/adapters/graph/probe.js';
import { credentialCheck } from '../../../../shared/app/health/credential-check.js';

// GRAPH_AUTH=federated end to end through the real @azure/identity + MSAL stack, against two loopback servers:
// - an App Service identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, plain HTTP as on App Service), which
//   ManagedIdentityCredential asks for the identity's token for api://AzureADTokenExchange;
// - an Entra stand-in (OpenID configuration + token endpoint) that ClientAssertionCredential posts the client
//   assertion to. MSAL refuses an authority that is not https ("authority_uri_insecure"), so this one serves TLS
//   with a self-signed certificate for 127.0.0.1 made by openssl for this run, trusted through the credential's
//   `agent` option (an https.Agent with that CA). Nothing in the SDKs is replaced: what is simulated is only what
//   Entra and the App Service identity endpoint would answer.

const HOME_TENANT = '11111111-2222-4333-8444-555555555555';
const CUSTOMER = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOT_CONSENTED = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const APP = '0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d';
const MI_CLIENT = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const MI_PRINCIPAL = '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';
const IDENTITY_HEADER = `hdr-${process.pid}-${Date.now()}`;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: Record<string, unknown>) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.sig`;

/** The identity's token: what Entra checks against the app's federated identity credential. */
const MI_TOKEN = jwt({
  aud: 'api://AzureADTokenExchange',
  iss: `https://login.microsoftonline.com/${HOME_TENANT}/v2.0`,
  sub: MI_PRINCIPAL,
  oid: MI_PRINCIPAL,
  tid: HOME_TENANT,
});

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: URLSearchParams;
}

const identityRequests: Seen[] = [];
const entraRequests: Seen[] = [];
let identity: Server;
let entra: Server;
let entraPort = 0;
let certDir = '';
let ca = '';
const savedEnv = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

function record(req: IncomingMessage, into: Seen[]): Promise<Seen> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      };
      into.push(seen);
      resolve(seen);
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function onIdentity(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const seen = await record(req, identityRequests);
  if (seen.headers['x-identity-header'] !== IDENTITY_HEADER) {
    json(res, 401, { error: 'missing or wrong X-IDENTITY-HEADER' });
    return;
  }
  json(res, 200, {
    access_token: MI_TOKEN,
    expires_on: String(Math.floor(Date.now() / 1000) + 24 * 3600),
    resource: seen.query.get('resource'),
    token_type: 'Bearer',
    client_id: seen.query.get('client_id') ?? MI_CLIENT,
  });
}

async function onEntra(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const seen = await record(req, entraRequests);
  const base = `https://127.0.0.1:${entraPort}`;
  const openId = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(seen.path);
  if (openId) {
    const t = openId[1] ?? '';
    json(res, 200, {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      issuer: `${base}/${t}/v2.0`,
    });
    return;
  }
  const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(seen.path);
  if (token && seen.method === 'POST') {
    const t = token[1] ?? '';
    if (t === NOT_CONSENTED) {
      // What Entra answers for a multi-tenant app that no admin of that tenant has consented to.
      json(res, 400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${APP}' was not found in the directory '${t}'. <b>This can happen if the application has not been installed by the administrator of the tenant</b>`,
        error_codes: [700016],
      });
      return;
    }
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: jwt({ aud: 'https://graph.microsoft.com', tid: t, appid: APP, roles: ['Device.Read.All'] }),
    });
    return;
  }
  json(res, 404, { error: 'not_found' });
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'apm-fed-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(join(certDir, 'cert.pem'), 'utf8');
  identity = createHttpServer((req, res) => void onIdentity(req, res));
  entra = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: ca }, (req, res) => {
    void onEntra(req, res);
  });
  const identityPort = await listen(identity);
  entraPort = await listen(entra);
  process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${identityPort}/msi/token`;
  process.env.IDENTITY_HEADER = IDENTITY_HEADER;
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await Promise.all([identity, entra].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  rmSync(certDir, { recursive: true, force: true });
});

const credentialOptions = () => ({
  authorityHost: `https://127.0.0.1:${entraPort}`,
  disableInstanceDiscovery: true,
  agent: new Agent({ ca }),
  retryOptions: { maxRetries: 0 },
});

function credentialFor(tenantId: string) {
  return federatedCredential(
    { kind: 'federated', tenantId, clientId: APP, managedIdentityClientId: MI_CLIENT },
    credentialOptions(),
  );
}

describe('GRAPH_AUTH=federated through @azure/identity and MSAL (loopback identity endpoint and Entra)', () => {
  it("sends the identity's api://AzureADTokenExchange token as the client assertion, to the configured tenant", async () => {
    const tokens = credentialTokenProvider(credentialFor(CUSTOMER));
    const graphToken = await tokens.getToken();
    expect(tokenTenant(graphToken)).toBe(CUSTOMER);

    // The identity endpoint was asked for the token-exchange audience, for the user-assigned identity.
    const mi = identityRequests.at(-1);
    expect(mi?.query.get('resource')).toBe('api://AzureADTokenExchange');
    expect(mi?.query.get('client_id')).toBe(MI_CLIENT);

    // Entra's token endpoint of THE CONFIGURED TENANT got the assertion and no secret.
    const post = entraRequests.filter((r) => r.method === 'POST');
    expect(post).toHaveLength(1);
    expect(post[0]?.path).toBe(`/${CUSTOMER}/oauth2/v2.0/token`);
    const form = post[0]?.body;
    expect(form?.get('grant_type')).toBe('client_credentials');
    expect(form?.get('client_id')).toBe(APP);
    expect(form?.get('scope')).toContain('https://graph.microsoft.com/.default');
    expect(form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form?.get('client_assertion')).toBe(MI_TOKEN);
    expect(form?.has('client_secret')).toBe(false);
    expect([...(form?.keys() ?? [])].filter((k) => /secret|password/i.test(k))).toEqual([]);
  });

  it('asks the managed identity once for many token exchanges (the assertion is cached)', async () => {
    // The real identity credential, counted: MSAL keeps its own identity-token cache, so counting requests at the
    // endpoint would not show whether OUR cache works.
    const real = new ManagedIdentityCredential({ clientId: MI_CLIENT });
    const scopes: string[] = [];
    const counted: TokenCredential = {
      getToken: (scope, options) => {
        scopes.push(String(scope));
        return real.getToken(scope, options);
      },
    };
    const credential = federatedCredential(
      { kind: 'federated', tenantId: CUSTOMER, clientId: APP, managedIdentityClientId: MI_CLIENT },
      credentialOptions(),
      counted,
    );
    const postsBefore = entraRequests.filter((r) => r.method === 'POST').length;
    // Distinct scopes defeat MSAL's access-token cache: each one is a new exchange that needs an assertion.
    for (const scope of [
      'https://graph.microsoft.com/.default',
      'https://a.example.test/.default',
      'https://b.example.test/.default',
    ])
      await credential.getToken(scope);
    expect(entraRequests.filter((r) => r.method === 'POST').length - postsBefore).toBe(3);
    expect(scopes).toEqual([TOKEN_EXCHANGE_SCOPE]);
  });

  it('a tenant that never consented: the health check names it and prints its admin-consent link', async () => {
    const tokens = credentialTokenProvider(credentialFor(NOT_CONSENTED));
    const err = await tokens.getToken().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const text = `${(err as Error).name}: ${(err as Error).message}`;
    const codes = entraErrorCodes(text);
    expect(codes).toContain('700016');
    const check = credentialCheck(
      { description: 'federated app', configuredTenantId: NOT_CONSENTED, consentAppId: APP },
      { grantedPermissions: [], reachable: false, tokenErrorCodes: codes, detail: 'token: (redacted)' },
    );
    expect(check.status).toBe('failing');
    expect(check.detail).toContain(
      `not consented in tenant ${NOT_CONSENTED}: an admin of that tenant opens ` +
        `https://login.microsoftonline.com/${NOT_CONSENTED}/adminconsent?client_id=${APP}`,
    );
    // The server's own words never reach the check.
    expect(check.detail).not.toContain('<b>');
  });
});
