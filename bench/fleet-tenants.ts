// The tenants of the many-tenants case (issue 21): N generated tenants of the reads case's shape, each with its own
// tenant id, data seed and bearer token, hosted by ONE simulator process (its `--tenants` file) and listed in the
// app's TENANTS setting with that token as the tenant's GRAPH_TOKEN override. The simulator picks the tenant by the
// token a request carries, so a request answered from the wrong tenant's data would show in that tenant's log.

import { randomUUID } from 'node:crypto';

import { readShape, scenarioFor, SEED } from './scenarios.js';
import { WRITE_LIMIT } from './types.js';

export interface BenchTenant {
  readonly id: string;
  readonly name: string;
  readonly seed: number;
  readonly token: string;
}

/** Tenant ids with the index in the last group: readable in a table, distinct, and valid GUIDs. */
export function benchTenants(count: number): BenchTenant[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `b3e7c000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`,
    name: `bench tenant ${i + 1}`,
    // A different seed per tenant: different serials, plants and events, so no two tenants answer alike.
    seed: SEED + i + 1,
    // Fresh per bench run: a stale token from another run can never name one of these tenants.
    token: `bench-${randomUUID()}`,
  }));
}

/** The simulator's tenants file: each tenant's own scenario, token, latency and write limit (no shared defaults). */
export function simTenantsFile(tenants: readonly BenchTenant[], devices: number, latencyMs: number): unknown {
  return {
    tenants: tenants.map((t) => {
      const s = scenarioFor(`bench-tenant-${t.seed}`, readShape(devices));
      return {
        tenantId: t.id,
        token: t.token,
        latencyMs,
        writeLimit: WRITE_LIMIT,
        scenario: { ...s, generate: { ...s.generate, seed: t.seed } },
      };
    }),
  };
}

/** The app's TENANTS setting: each tenant's id, name and its own token (README, "Many tenants"). */
export function tenantsSetting(tenants: readonly BenchTenant[]): string {
  return JSON.stringify(tenants.map((t) => ({ id: t.id, name: t.name, settings: { GRAPH_TOKEN: t.token } })));
}
