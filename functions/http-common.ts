import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { StorageNotConfiguredError, type Container } from '../shared/composition/container.js';
import { ConfigError } from '../shared/config/index.js';
import { escapeHtml } from '../shared/core/report/index.js';

// Shared plumbing of the HTTP triggers (no registration here). Every endpoint answers in JSON with a reason a
// person can act on; configuration errors become a 503 listing the bad keys, never a stack trace or a value.

export interface ConfigProblemView {
  readonly key: string;
  readonly message: string;
}

export type StartupFailure =
  | { readonly kind: 'config'; readonly problems: readonly ConfigProblemView[] }
  | { readonly kind: 'error'; readonly detail: string };

export type Opened = { readonly container: Container } | { readonly failure: StartupFailure };

/**
 * The pages (dashboard, device view) load nothing — inline CSS and SVG, no script — so the header CSP forbids every
 * fetch; it repeats the pages' own <meta> CSP and adds what a meta tag cannot carry (frame-ancestors).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const HTML_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** A minimal page under the same CSP for the non-200 answers (a browser shows it instead of raw JSON). */
export function htmlPage(status: number, title: string, message: string): HttpResponseInit {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — autopilot-medic</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:42rem;padding:0 1rem;color:#1b1b1b}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
  return { status, body, headers: HTML_HEADERS };
}

/** Shared by report/latest and the dashboard. */
export const NO_REPORT_YET =
  'no compliance report has been stored yet: the complianceSweep timer writes one daily (COMPLIANCE_SCHEDULE), or run `autopilot-medic compliance`';

/** Functions pass the key as `?code=`: it is always allowed and never echoed. */
const FUNCTION_KEY_PARAM = 'code';

/** The host container, or why there is none. getHostContainer throws synchronously on bad config, hence the try. */
export async function openContainer(
  getContainer: () => Promise<Container>,
  context: InvocationContext,
): Promise<Opened> {
  const opened = await openWith(getContainer, context);
  return 'failure' in opened ? opened : { container: opened.value };
}

/** Whatever the app builds from its settings (a container, the fleet), or why it could not. */
export async function openWith<T>(
  get: () => Promise<T>,
  context: InvocationContext,
): Promise<{ readonly value: T } | { readonly failure: StartupFailure }> {
  try {
    return { value: await get() };
  } catch (err) {
    if (err instanceof ConfigError) {
      // ConfigError messages never carry secret values (shared/config), so key + message are safe to return.
      context.error('http.config-invalid', { keys: err.problems.map((p) => p.key).join(',') });
      return { failure: { kind: 'config', problems: err.problems.map((p) => ({ key: p.key, message: p.message })) } };
    }
    if (err instanceof StorageNotConfiguredError) {
      const message = 'no Table Storage configured: set STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT';
      context.error('http.config-invalid', { keys: 'STORAGE_CONNECTION_STRING,STORAGE_TABLE_ENDPOINT' });
      return {
        failure: {
          kind: 'config',
          problems: [
            { key: 'STORAGE_CONNECTION_STRING', message },
            { key: 'STORAGE_TABLE_ENDPOINT', message },
          ],
        },
      };
    }
    // Anything else (storage unreachable while creating tables, ...): the details go to the log, not the caller.
    const name = err instanceof Error ? err.name : 'Error';
    context.error('http.startup-failed', { error: name, message: err instanceof Error ? err.message : String(err) });
    return {
      failure: {
        kind: 'error',
        detail: `the app could not start (${name}); see the function logs for invocation ${context.invocationId}`,
      },
    };
  }
}

export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponseInit {
  return {
    status,
    jsonBody: body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  };
}

export function startupFailureResponse(failure: StartupFailure): HttpResponseInit {
  if (failure.kind === 'config') {
    return json(503, {
      error: 'configuration-invalid',
      message: `invalid configuration: ${failure.problems.map((p) => p.key).join(', ')}`,
      problems: failure.problems,
    });
  }
  return json(503, { error: 'startup-failed', message: failure.detail });
}

export interface ParamProblem {
  readonly parameter: string;
  readonly message: string;
}

export function badRequest(problems: readonly ParamProblem[]): HttpResponseInit {
  return json(400, {
    error: 'invalid-request',
    message: problems.map((p) => `${p.parameter}: ${p.message}`).join('; '),
    problems,
  });
}

export type QueryRead =
  | { readonly ok: true; readonly values: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problems: ParamProblem[] };

/**
 * The query string as single values, refusing unknown and repeated parameters: a typo such as `?serail=` must
 * not silently widen the query to every device. Repeats are read from the URL (the host's map keeps one value).
 */
export function readQuery(request: HttpRequest, allowed: readonly string[]): QueryRead {
  const fromUrl = URL.canParse(request.url) ? new URL(request.url).searchParams : new URLSearchParams();
  const names = new Set([...request.query.keys(), ...fromUrl.keys()]);
  const values: Record<string, string> = {};
  const problems: ParamProblem[] = [];
  for (const name of names) {
    if (name === FUNCTION_KEY_PARAM) continue;
    if (!allowed.includes(name)) {
      const expected =
        allowed.length > 0 ? `expected one of ${allowed.join(', ')}` : 'this endpoint takes no parameters';
      problems.push({ parameter: clip(name), message: `unknown parameter; ${expected}` });
      continue;
    }
    if (fromUrl.getAll(name).length > 1) {
      problems.push({ parameter: name, message: 'given more than once; give it once' });
      continue;
    }
    const value = request.query.get(name) ?? fromUrl.get(name);
    if (value !== null) values[name] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** User input quoted back in an error message, kept short. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
