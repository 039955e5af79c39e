// The fewest Graph requests a run's data requires, and the latency floor, computed from what the run read (the
// snapshot it returned), NOT from how the adapter paged: each collection needs ceil(items / largest page the
// service serves) requests, and at least one even when empty.
//
//   identities                1000 per page ($top ≤ 1000)         autopilotEvents        50 per page ($top ≤ 50)
//   imported identities       1000 per page                       managedDevices         1000 per page
//   Entra devices / members   999 per page ($top ≤ 999)           group owners           100 per page
//   settings, group           1 each                              SP lookup              1 (only when an owner is missing)
//   device-prep export        POST + the polls until the job completes (the simulator completes it on poll 2) = 3
//   identity look-ups by serial (imports not yet visible): 1 each
//
// Latency floor = the longest chain of requests that must follow one another × the per-request latency. Pages
// of one collection are sequential (each page names the next); different collections are independent, and
// so are a group and its member/owner lists. The export's chain is POST → poll → poll; the client's waits
// between polls (1 s, then 2 s) are NOT latency and are reported separately.

import { INTUNE_PROVISIONING_CLIENT_APP_ID, type TenantSnapshot } from '../shared/core/model/index.js';

export const PAGE = {
  identities: 1000,
  imports: 1000,
  events: 50,
  managedDevices: 1000,
  directory: 999,
  owners: 100,
} as const;

/** The simulator's default: an export job completes on its 2nd poll (sim/README.md, "Report export"). */
export const EXPORT_POLLS = 2;

const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

export interface Minimum {
  readonly total: number;
  readonly byCollection: Record<string, number>;
  /** Longest chain of dependent requests (count). */
  readonly chain: number;
  readonly chainCollection: string;
}

export function minimumRequests(s: TenantSnapshot): Minimum {
  const by: Record<string, number> = {};
  const chains: Record<string, number> = {};
  const add = (name: string, n: number, chain = n): void => {
    by[name] = (by[name] ?? 0) + n;
    chains[name] = Math.max(chains[name] ?? 0, chain);
  };
  const full = s.kind === 'full';
  const lookedUp = s.identitySerialsQueried?.length ?? 0;
  add('settings', 1);
  add(full ? 'identities' : 'identities (blocked)', pages(s.identities.length - lookedUp, PAGE.identities));
  if (lookedUp > 0) add('identities (by serial)', lookedUp, 1);
  add('events', pages(s.events.length, PAGE.events));
  add('imports', pages(s.imports.length, PAGE.imports));
  for (const g of s.devicePrepGroups) {
    add('group', 1);
    if (g.group === null) continue;
    add('group owners', pages(g.owners.length, PAGE.owners));
    add('group members', pages(g.memberObjectIds.length, PAGE.directory));
    add('entraDevices (device-prep candidates)', pages(g.candidates.length, PAGE.directory));
  }
  const spMissing = s.devicePrepGroups.some(
    (g) => g.group !== null && !g.owners.some((o) => o.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID),
  );
  if (spMissing) add('servicePrincipals', 1);
  if (full) {
    add('entraDevices (ZTDID)', pages(s.entraDevices.length, PAGE.directory));
    add('managedDevices', pages(s.managedDevices.length, PAGE.managedDevices));
    if (s.devicePrepGroups.length > 0) add('export', 1 + EXPORT_POLLS);
  }
  const [chainCollection, chain] = Object.entries(chains).reduce(
    (best, c) => (c[1] > best[1] ? c : best),
    ['settings', 1],
  );
  return { total: Object.values(by).reduce((a, b) => a + b, 0), byCollection: by, chain, chainCollection };
}
