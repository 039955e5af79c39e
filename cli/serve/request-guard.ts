import type { IncomingMessage } from 'node:http';

// `serve` listens on 127.0.0.1 and asks no function key, so it must itself refuse what a web page can make a browser
// on this machine send it:
// - DNS rebinding: a page whose name is re-pointed at 127.0.0.1 reads the answers as its own origin, but its Host
//   header still carries its own name. Only loopback names with this port, and hosts the operator allows, are served.
// - Cross-site requests: any page can make the browser POST here (a form, or a no-cors fetch with a text/plain body,
//   which needs no preflight) to start a sweep or decide an approval. The browser says where a request comes from in
//   Sec-Fetch-Site (Fetch Metadata) and, on a POST, in Origin: a request that changes something is taken from this
//   origin or from no browser at all (a script, curl). A GET changes nothing, so a link opened from an alert (a
//   cross-site navigation) still opens its page.

export interface GuardRefusal {
  readonly error: 'forbidden-host' | 'cross-site';
  readonly message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const OWN_SITE = new Set(['same-origin', 'none']);

/** The Host values served: loopback names with the port, then the allowed ones (`name` or `name:port`). */
export function servedHosts(port: number, allowed: readonly string[]): ReadonlySet<string> {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  return new Set([
    ...loopback.map((h) => `${h}:${port}`),
    // A browser leaves the default port out of Host.
    ...(port === 80 ? loopback : []),
    ...allowed.map((h) => h.trim().toLowerCase()).filter((h) => h !== ''),
  ]);
}

export function guardRefusal(req: IncomingMessage, method: string, hosts: ReadonlySet<string>): GuardRefusal | null {
  const host = req.headers.host?.toLowerCase();
  if (host !== undefined && !hosts.has(host))
    return { error: 'forbidden-host', message: 'serve answers only to 127.0.0.1, localhost and the allowed hosts' };
  if (SAFE_METHODS.has(method)) return null;
  // Fetch Metadata decides when the browser sends it: a page served with Referrer-Policy: no-referrer (the review
  // page) makes the browser send `Origin: null` on its own form posts. Origin is for browsers without it.
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const ownSite =
    typeof site === 'string'
      ? OWN_SITE.has(site)
      : origin === undefined || [...hosts].some((h) => origin === `http://${h}` || origin === `https://${h}`);
  return ownSite
    ? null
    : { error: 'cross-site', message: 'a request from another web site cannot change anything here' };
}

/**
 * Headers only App Service Authentication may set (it removes them from what clients send and sets its own): the
 * signed-in principal and its tokens. There is no such module in front of serve, so a client's copies are dropped.
 * https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities ("Access user claims in app
 * code")
 */
export function isPlatformIdentityHeader(name: string): boolean {
  return name.startsWith('x-ms-client-principal') || name.startsWith('x-ms-token-');
}
