/** Small HTTP helpers for the simulator tests: authenticated calls and following nextLinks. */
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export type Json = Record<string, unknown>;

export async function call(
  sim: Simulator,
  method: string,
  pathOrUrl: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.url}${pathOrUrl}`;
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${sim.token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const get = (sim: Simulator, path: string, headers?: Record<string, string>): Promise<Reply> =>
  call(sim, 'GET', path, undefined, headers);

export function obj(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`expected an object, got ${JSON.stringify(v)?.slice(0, 200)}`);
  return v as Json;
}

export function values(r: Reply): Json[] {
  const v = obj(r.body)['value'];
  if (!Array.isArray(v)) throw new Error(`no value array in ${r.text.slice(0, 300)}`);
  return v as Json[];
}

export function errorCode(r: Reply): string {
  return String(obj(obj(r.body)['error'])['code']);
}

/** Follow @odata.nextLink to the end; returns every item and the number of pages. */
export async function all(
  sim: Simulator,
  path: string,
  maxPages = 1000,
): Promise<{ items: Json[]; pages: number; links: string[] }> {
  const items: Json[] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    if (++pages > maxPages) throw new Error('too many pages');
    const r = await get(sim, next);
    if (r.status !== 200) throw new Error(`GET ${next} → ${r.status} ${r.text}`);
    items.push(...values(r));
    const link = obj(r.body)['@odata.nextLink'];
    next = typeof link === 'string' ? link : undefined;
    if (next) links.push(next);
  }
  return { items, pages, links };
}

export const start = (opts: SimulatorOptions = {}): Promise<Simulator> => startSimulator(opts);
