// A scripted fetch for unit tests of the HTTP core: each call takes the next handler's answer.
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Answer = Response | Error | ((req: SeenRequest) => Response | Error);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function graphError(
  status: number,
  code: string,
  message = 'x',
  headers: Record<string, string> = {},
): Response {
  return json({ error: { code, message, innerError: { 'request-id': `rid-${status}` } } }, status, headers);
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers });
}

export function scriptedFetch(answers: Answer[]): { fetch: typeof fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const queue = [...answers];
  const impl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    const req: SeenRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init?.method ?? 'GET',
      headers,
      body: raw === undefined ? undefined : (JSON.parse(raw) as unknown),
    };
    seen.push(req);
    const next = queue.shift();
    if (next === undefined) return Promise.reject(new Error(`unexpected request ${req.method} ${req.url}`));
    const answer = typeof next === 'function' ? next(req) : next;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { fetch: impl, seen };
}
