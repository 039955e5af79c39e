// Whose data each tenant's container read. Request logs show which token each request carried; they cannot show two
// tenants' tokens swapped (both logs would look like a normal sweep). The findings can: each generated tenant plants
// its problems on devices of its own seed, so a tenant's device findings must match its own plants more than any
// other tenant's.

import type { Stores } from '../shared/ports/index.js';
import type { TenantData } from './fleet-types.js';
import type { SimControl } from './measure.js';

async function plantedSerials(sim: SimControl, tenant: string): Promise<Set<string>> {
  const planted = await sim.planted(tenant);
  const serials = Object.values(planted.items)
    .flat()
    .map((i) => i.serialNumber);
  return new Set(serials.filter((s): s is string => s !== null));
}

async function findingSerials(stores: Stores): Promise<Set<string>> {
  const out = new Set<string>();
  for (const f of await stores.findings.listOpen())
    if (f.subject?.kind === 'device' && f.subject.serialNumber !== null) out.add(f.subject.serialNumber);
  return out;
}

const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => [...a].filter((x) => b.has(x)).length;

/** For each tenant of the run: its device findings, how many are its own plants, and the most any other tenant's. */
export async function tenantData(
  sim: SimControl,
  allTenants: readonly string[],
  storesOf: ReadonlyMap<string, Stores>,
): Promise<TenantData[]> {
  const planted = new Map<string, Set<string>>();
  for (const t of allTenants) planted.set(t, await plantedSerials(sim, t));
  const out: TenantData[] = [];
  for (const [tenant, stores] of storesOf) {
    const found = await findingSerials(stores);
    let other = 0;
    for (const [t, p] of planted) if (t !== tenant) other = Math.max(other, overlap(found, p));
    out.push({
      tenant,
      deviceFindings: found.size,
      ownPlants: overlap(found, planted.get(tenant) ?? new Set()),
      mostOtherPlants: other,
    });
  }
  return out;
}
