/**
 * Turn a parsed scenario into tenant state: hand-written resources first, generated ones after them
 * (so their indexes, and therefore paging cursors, are stable), and the combined list of plants.
 */
import { generateTenant, type GeneratedTenant } from '../generate/index.js';
import type { Planted } from '../generate/spec.js';
import { Collection } from '../tenant/collection.js';
import type { Group } from '../model/schemas.js';
import { AutopilotSync } from '../tenant/sync.js';
import { Tenant } from '../tenant/tenant.js';
import type { Scenario } from './schema.js';

export function buildTenant(s: Scenario, anchorMs: number, syncDurationMs: number): Tenant {
  const gen: GeneratedTenant | null = s.generate ? generateTenant(s.generate, anchorMs) : null;
  const members = new Map<string, string[]>();
  const owners = new Map<string, string[]>();
  const groups: Group[] = [];
  for (const { members: m, owners: o, ...group } of s.groups) {
    groups.push(group);
    members.set(group.id, m);
    owners.set(group.id, o);
  }
  // A hand-written group with the generator's group id wins; the generated members are added to it.
  for (const g of gen?.groups ?? []) {
    if (!groups.some((x) => x.id === g.group.id)) groups.push(g.group);
    members.set(g.group.id, [...(members.get(g.group.id) ?? []), ...g.members]);
    owners.set(g.group.id, [...(owners.get(g.group.id) ?? []), ...g.owners]);
  }
  const sync = new AutopilotSync(s.windowsAutopilotSettings, syncDurationMs);
  if (s.options.syncOutcome) sync.nextOutcome = s.options.syncOutcome;
  return new Tenant({
    identities: new Collection(s.windowsAutopilotDeviceIdentities, gen?.identities ?? null),
    events: new Collection([...s.autopilotEvents, ...(gen?.events ?? [])]),
    groups: new Collection(groups),
    devices: new Collection(s.devices, gen?.devices ?? null),
    users: new Collection([...s.users, ...(gen?.users ?? [])]),
    servicePrincipals: new Collection([...s.servicePrincipals, ...(gen?.servicePrincipals ?? [])]),
    managedDevices: new Collection(s.managedDevices, gen?.managedDevices ?? null),
    configurationPolicies: new Collection([
      ...s.configurationPolicies,
      ...(gen?.configurationPolicies ?? []).filter((p) => !s.configurationPolicies.some((x) => x.id === p.id)),
    ]),
    importedDevices: new Collection(s.importedDevices),
    reportRows: [...s.deviceprepReport, ...(gen?.reportRows ?? [])],
    reportAppRows: [...s.deviceprepAppReport],
    reportScriptRows: [...s.deviceprepScriptReport],
    loadedAt: anchorMs,
    pendingImports: [...s.pendingImports, ...(gen?.pendingImports ?? [])],
    sync,
    denials: s.denials,
    planted: mergePlanted(gen?.planted ?? null, s.planted ?? null),
    members,
    owners,
  });
}

function mergePlanted(gen: Planted | null, declared: Scenario['planted'] | null): Planted {
  const base: Planted = gen ?? { source: declared ? 'scenario' : 'none', counts: {}, items: {} };
  if (!declared) return base;
  const items = { ...base.items };
  for (const [kind, list] of Object.entries(declared)) items[kind] = [...(items[kind] ?? []), ...list];
  const counts: Record<string, number> = {};
  for (const [kind, list] of Object.entries(items)) counts[kind] = list.length;
  return { ...base, counts, items };
}
