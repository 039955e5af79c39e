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
//   a poll's two counts of a device-prep group (1 item each) and its registered devices (999 per page); its members
//   and candidates as above only when the counts do not prove every device a member
//
// Latency floor = the longest chain of requests that must follow one another × the per-request latency. Pages
// of one collection are sequential (each page names the next); different collections are independent, and
// so are a group and its member/owner lists. The export's chain is POST → poll → poll; the client's waits
// between polls (1 s, then 2 s) are NOT latency and are reported separately.

import { groupSettled, INTUNE_PROVISIONING_CLIENT_APP_ID, type TenantSnapshot } from '../shared/core/model/index.js';
import type { RunResult, Target } from './types.js';

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
    // A poll counts first (two one-item pages, with the registered devices of the policy); both lists follow, one
    // round trip after the counts, unless they prove every device a member.
    const counted = g.counts === undefined ? 0 : 1;
    if (counted) add('group counts', 2, 1);
    if (groupSettled(g)) {
      add('entraDevices (device-prep, registered)', pages(g.candidates.length, PAGE.directory));
      continue;
    }
    const members = pages(g.memberObjectIds.length, PAGE.directory);
    const candidates = pages(g.candidates.length, PAGE.directory);
    add('group members', members, counted + members);
    add('entraDevices (device-prep candidates)', candidates, counted + candidates);
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

// ---------------------------------------------------------------- remediation burst

/** Values in one `in` clause (Known issues with Microsoft Graph, https://learn.microsoft.com/graph/known-issues). */
export const IN_VALUES = 15;
/** Members one PATCH members@odata.bind may add (Add members, https://learn.microsoft.com/graph/api/group-post-members). */
export const BIND_MAX = 20;

/**
 * The fewest Graph calls a correct remediation burst needs: commands that each add a few devices to one device
 * preparation group, each command on its own (a worker trusts nothing it is sent and nothing another command read),
 * in queue order starting from `membersBefore` members. Per command of n devices, with M members when it starts:
 *
 *   group gate           2   GET /groups/{id} (shape) and the policy's enrollment-time membership target: two
 *                            resources, read fresh, no cheaper form of either
 *   devices (id)         ceil(n / 15)   each device's enrollmentProfileName, by `$filter=id in (…)`, which works
 *                            without advanced query whenever `eq` does (Advanced query capabilities on Microsoft
 *                            Entra ID objects, https://learn.microsoft.com/graph/aad-advanced-queries) and so is
 *                            strongly consistent; 15 values per `in` clause
 *   group members        ceil(M / 999) before + ceil((M + n) / 999) after — who is a member, strongly
 *                            consistent: `members?$filter=id in (…)` is an advanced query (ConsistencyLevel: eventual,
 *                            stale right after the write it must prove), so the plain list, 999 a page. Proving a
 *                            device ABSENT takes every page; proving the added ones present after the write takes
 *                            every page too, because the list has no documented order and new members may come last
 *                            (the simulator lists them last).
 *   group member writes  ceil(n / 20)   one PATCH members@odata.bind of up to 20
 *
 * Calls, not HTTP requests: a $batch of 20 reads saves round trips but "requests in a batch are evaluated
 * individually against throttling limits" (Microsoft Graph throttling guidance,
 * https://learn.microsoft.com/graph/throttling), so each item counts as one call here and in the target.
 */
export function burstMinimum(commandSizes: readonly number[], membersBefore: number): Minimum & { reads: number } {
  const by: Record<string, number> = { group: 0, 'policy target': 0, 'devices (id)': 0, 'group members': 0 };
  let writes = 0;
  let members = membersBefore;
  let chain = 0;
  for (const n of commandSizes) {
    const before = pages(members, PAGE.directory);
    const after = pages(members + n, PAGE.directory);
    by['group'] = (by['group'] ?? 0) + 1;
    by['policy target'] = (by['policy target'] ?? 0) + 1;
    by['devices (id)'] = (by['devices (id)'] ?? 0) + Math.ceil(n / IN_VALUES);
    by['group members'] = (by['group members'] ?? 0) + before + after;
    writes += Math.ceil(n / BIND_MAX);
    // One command's dependent chain: the gate, the device reads and the first member page side by side → the other
    // member pages → the write → the read-back's pages.
    chain = Math.max(chain, before + 1 + after);
    members += n;
  }
  const reads = Object.values(by).reduce((a, b) => a + b, 0);
  by['group member writes'] = writes;
  return { total: reads + writes, reads, byCollection: by, chain, chainCollection: 'one command' };
}

/**
 * Issue 18: the burst's re-check reads ≤ 2 × the minimum burstMinimum (above) computes for them. Reads
 * are counted as calls — every $batch item on its own, as Graph throttles them — and the wire requests are shown.
 */
export function burstReadsTarget(b: RunResult, size: number): Target {
  const writesKey = 'group member writes';
  const readCalls = Object.entries(b.requests.byCollection)
    .filter(([k]) => k !== writesKey && k !== '$batch')
    .reduce((n, [, v]) => n + v, 0);
  const minReads = b.minimum ? b.minimum.total - (b.minimum.byCollection[writesKey] ?? 0) : 0;
  const ratio = minReads > 0 ? readCalls / minReads : Number.POSITIVE_INFINITY;
  const by = Object.entries(b.requests.byCollection)
    .filter(([k]) => k !== writesKey)
    .map(([k, v]) => `${k} ${v}/${b.minimum?.byCollection[k] ?? 0}`)
    .join(', ');
  return {
    target: `Burst ${size.toLocaleString('en-US')}: re-check reads ≤ 2 × minimum`,
    measured: `${readCalls} read calls / ${minReads} = ${ratio.toFixed(2)}× (${b.requests.wireReads} on the wire; ${by})`,
    met: ratio <= 2,
  };
}
