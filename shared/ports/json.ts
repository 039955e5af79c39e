import type { Json } from './stores.port.js';

/** Plain JSON for storage (history, claims, findings, reports): drops undefined, functions and class instances. */
export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}
