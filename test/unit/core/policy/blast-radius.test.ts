import { describe, expect, it } from 'vitest';

import type { Decision, DevicePrepGroupSnapshot, EntraDevice, Finding } from '../../../../shared/core/model/index.js';
import { blastRadiusOf, decide, fleetOf, type Fleet } from '../../../../shared/core/policy/index.js';
import { ctx, ENFORCE_ALL, finding, GROUP, OTHER_GROUP, REMEDIES, refusedBlock } from './fixtures.js';

// The blast-radius breaker at every tenant size, with the default limits (at most 50 targets; more than 10 % of
// the fleet trips only above 5 targets). Issue 15: a 6-device tenant with two blocked devices (33 %) and a
// 1-device tenant with one must be remediated; a 200-device tenant with 30 targets must not.

const objectId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const enforce = (f: Finding): Decision => {
  const d = decide(f, ctx({ allowedGroupIds: [GROUP, OTHER_GROUP] }));
  expect(d.kind, d.reason).toBe('remediate');
  return { ...d, mode: 'enforce' };
};
const unblocks = (n: number): Decision[] =>
  Array.from({ length: n }, (_, i) =>
    enforce(finding(REMEDIES.unblock(`SN-${i}`), { evidence: refusedBlock(`SN-${i}`) })),
  );
const members = (n: number, from = 0): Decision[] =>
  Array.from({ length: n }, (_, i) => enforce(finding(REMEDIES.member(objectId(from + i), `DP-${from + i}`))));
const ownerRestore = (groupId = GROUP): Decision => enforce(finding(REMEDIES.owner(groupId)));
const sync = (): Decision => enforce(finding(REMEDIES.sync));
const known = (size: number): Fleet => ({ size, source: `${size} Autopilot devices (read by this run)` });
const UNKNOWN: Fleet = {
  size: null,
  source: 'fleet size unknown: this run read neither all Autopilot devices nor any device-preparation devices',
};

describe('blastRadiusOf with the default limits (50 targets; 10 % of the fleet above 5 targets)', () => {
  const cases: readonly {
    name: string;
    decisions: () => Decision[];
    fleet: Fleet;
    exceeded: boolean;
    targets: number;
    reason?: RegExp;
  }[] = [
    {
      name: '1-device tenant, its one blocked device',
      decisions: () => unblocks(1),
      fleet: known(1),
      exceeded: false,
      targets: 1,
    },
    {
      name: '1-device tenant, the unblock and a sync (200 % of the fleet, 2 targets)',
      decisions: () => [...unblocks(1), sync()],
      fleet: known(1),
      exceeded: false,
      targets: 2,
    },
    {
      name: '6-device tenant, 2 blocked devices (33 %)',
      decisions: () => unblocks(2),
      fleet: known(6),
      exceeded: false,
      targets: 2,
    },
    {
      name: '6-device tenant, 5 targets (83 %, not above the minimum)',
      decisions: () => unblocks(5),
      fleet: known(6),
      exceeded: false,
      targets: 5,
    },
    {
      name: '6-device tenant, all 6 (100 %, above the minimum)',
      decisions: () => unblocks(6),
      fleet: known(6),
      exceeded: true,
      targets: 6,
      reason: /6 devices, 100% of a fleet of 6 .*more than 10% of the fleet and more than 5/,
    },
    {
      name: '200-device tenant, 30 targets (15 %)',
      decisions: () => unblocks(30),
      fleet: known(200),
      exceeded: true,
      targets: 30,
      reason: /30 devices, 15% of a fleet of 200/,
    },
    {
      name: '200-device tenant, 20 targets (10 %, not more than 10 %)',
      decisions: () => unblocks(20),
      fleet: known(200),
      exceeded: false,
      targets: 20,
    },
    {
      name: '10,000-device tenant, 50 targets (the absolute limit itself)',
      decisions: () => unblocks(50),
      fleet: known(10_000),
      exceeded: false,
      targets: 50,
    },
    {
      name: '10,000-device tenant, 51 targets',
      decisions: () => unblocks(51),
      fleet: known(10_000),
      exceeded: true,
      targets: 51,
      reason: /51 devices, more than the limit of 50$/,
    },
    {
      name: 'unknown fleet, 30 targets: only the absolute limit applies',
      decisions: () => unblocks(30),
      fleet: UNKNOWN,
      exceeded: false,
      targets: 30,
    },
    {
      name: 'unknown fleet, 51 targets',
      decisions: () => [...unblocks(26), ...members(25)],
      fleet: UNKNOWN,
      exceeded: true,
      targets: 51,
      reason: /51 devices, more than the limit of 50 \(fleet size unknown.*only this absolute limit applies\)/,
    },
    // Every action counts: group owners and the tenant-wide sync as well as devices.
    {
      name: '20-device fleet, 5 group adds (25 %, not above the minimum)',
      decisions: () => members(5),
      fleet: known(20),
      exceeded: false,
      targets: 5,
    },
    {
      name: '20-device fleet, 5 group adds and an owner restore (30 %, 6 targets)',
      decisions: () => [...members(5), ownerRestore()],
      fleet: known(20),
      exceeded: true,
      targets: 6,
      reason: /6 targets \(5 devices, 1 group owner\)/,
    },
    {
      name: '20-device fleet, 5 group adds and a sync',
      decisions: () => [...members(5), sync()],
      fleet: known(20),
      exceeded: true,
      targets: 6,
      reason: /6 targets \(5 devices, a tenant-wide sync\)/,
    },
    {
      name: 'unknown fleet, 49 devices, 2 group owners',
      decisions: () => [...unblocks(49), ownerRestore(GROUP), ownerRestore(OTHER_GROUP)],
      fleet: UNKNOWN,
      exceeded: true,
      targets: 51,
    },
  ];

  it.each(cases)('$name', ({ decisions, fleet, exceeded, targets, reason }) => {
    const br = blastRadiusOf(decisions(), fleet, ENFORCE_ALL);
    expect(br).toMatchObject({ exceeded, targets, fleet, limit: { devices: 50, percent: 10, minDevices: 5 } });
    if (exceeded) expect(br.reason).toMatch(reason ?? /./);
    else expect(br.reason).toBeNull();
  });

  it('an unknown fleet size is said, in the basis of every run and in the reason of a breach', () => {
    const within = blastRadiusOf(unblocks(30), UNKNOWN, ENFORCE_ALL);
    expect(within.percent).toBeNull();
    expect(within.basis).toMatch(
      /^fleet size unknown.*only the absolute limit applies: at most 50, and this run acts on 30 devices$/,
    );
    const over = blastRadiusOf(unblocks(51), UNKNOWN, ENFORCE_ALL);
    expect(over.reason).toMatch(/fleet size unknown/);
    expect(blastRadiusOf(unblocks(2), known(6), ENFORCE_ALL).basis).toBe(
      'this run acts on 2 devices, 33.33% of a fleet of 6 (6 Autopilot devices (read by this run)); limits: more than 50, or more than 10% of the fleet when more than 5',
    );
  });

  it('the minimum follows its setting (0: the percentage counts from the first target)', () => {
    expect(blastRadiusOf(unblocks(2), known(6), { ...ENFORCE_ALL, blastRadiusMinDevices: 0 }).exceeded).toBe(true);
    expect(blastRadiusOf(unblocks(6), known(6), { ...ENFORCE_ALL, blastRadiusMinDevices: 6 }).exceeded).toBe(false);
  });
});

const entra = (i: number, registered = false): EntraDevice => ({
  objectId: objectId(i),
  deviceId: `dev-${i}`,
  displayName: null,
  enrollmentProfileName: 'DP policy',
  isAutopilotRegistered: registered,
  trustType: 'AzureAd',
  createdAt: null,
});
const group = (candidates: readonly EntraDevice[], exists = true, groupId = GROUP): DevicePrepGroupSnapshot => ({
  groupId,
  policyName: 'DP policy',
  group: exists
    ? { id: groupId, displayName: 'DP', securityEnabled: true, isDynamic: false, isAssignableToRole: false }
    : null,
  policyTarget: {
    kind: 'read',
    policyId: 'pol-1',
    validationSucceeded: true,
    targets: [{ targetId: groupId, error: null }],
  },
  owners: [],
  memberObjectIds: [],
  candidates,
});

describe('fleetOf: the fleet size from what the runs read', () => {
  it('Autopilot identities read by this run', () => {
    expect(fleetOf({ autopilotIdentities: { count: 6, from: 'this-run' }, devicePrepGroups: [] })).toEqual({
      size: 6,
      source: '6 Autopilot devices (read by this run)',
      scope: 'all',
    });
  });

  it('Autopilot identities remembered from the last full sweep (incremental polls)', () => {
    expect(fleetOf({ autopilotIdentities: { count: 200, from: 'last-sweep' }, devicePrepGroups: [] })).toEqual({
      size: 200,
      source: '200 Autopilot devices (as of the last full sweep)',
      scope: 'all',
    });
  });

  it('plus the device-preparation devices, each once across groups, Autopilot-registered ones not twice', () => {
    const groups = [group([entra(1), entra(2), entra(3, true)]), group([entra(2), entra(4)], true, OTHER_GROUP)];
    expect(fleetOf({ autopilotIdentities: { count: 10, from: 'this-run' }, devicePrepGroups: groups })).toEqual({
      size: 13,
      source: '10 Autopilot devices (read by this run) + 3 device-preparation devices',
      scope: 'all',
    });
  });

  it("a poll's settled group (its counts proved every device a member) counts the devices it did not list", () => {
    // 40 devices of the policy, all members: the poll listed only the Autopilot-registered one (entra 3).
    const settled = { ...group([entra(3, true)]), counts: { candidates: 40, members: 40 } };
    expect(
      fleetOf({ autopilotIdentities: { count: 10, from: 'last-sweep' }, devicePrepGroups: [settled] }),
    ).toMatchObject({
      size: 49,
      source: '10 Autopilot devices (as of the last full sweep) + 39 device-preparation devices',
    });
    expect(fleetOf({ autopilotIdentities: null, devicePrepGroups: [settled] })).toMatchObject({ size: 40 });
    // Counts that differ settle nothing: the lists were read, and they are what counts.
    const listed = { ...group([entra(1), entra(2)]), counts: { candidates: 3, members: 2 } };
    expect(fleetOf({ autopilotIdentities: null, devicePrepGroups: [listed] })).toMatchObject({ size: 2 });
  });

  it('else the device-preparation candidates alone', () => {
    expect(
      fleetOf({ autopilotIdentities: null, devicePrepGroups: [group([entra(1), entra(2), entra(3, true)])] }),
    ).toEqual({
      size: 3,
      source: '3 device-preparation devices (Autopilot devices not read by this run)',
      scope: 'device-preparation',
    });
  });

  it('a fleet of device-preparation devices alone measures device-preparation actions only', () => {
    const dpOnly = fleetOf({
      autopilotIdentities: null,
      devicePrepGroups: [group(Array.from({ length: 20 }, (_, i) => entra(i)))],
    });
    // 6 group adds of 20 device-preparation devices: 30 %, above the minimum: trips.
    expect(blastRadiusOf(members(6), dpOnly, ENFORCE_ALL)).toMatchObject({ exceeded: true, percent: 30 });
    // An unblock is not a device-preparation action: the 20 are not its fleet, so only the absolute limit applies.
    const mixed = blastRadiusOf([...members(5), ...unblocks(1), sync()], dpOnly, ENFORCE_ALL);
    expect(mixed).toMatchObject({ exceeded: false, percent: null, targets: 7 });
    expect(mixed.basis).toMatch(
      /^fleet size unknown for Autopilot actions: this run read only the device-preparation devices \(20\); only the absolute limit applies/,
    );
  });

  it('else unknown: no identities counted, and no group read or no candidates in it', () => {
    for (const groups of [[], [group([], false)], [group([])]]) {
      const f = fleetOf({ autopilotIdentities: null, devicePrepGroups: groups });
      expect(f.size).toBeNull();
      expect(f.source).toMatch(/^fleet size unknown/);
    }
  });

  it('an empty tenant has no fleet to take a percentage of', () => {
    expect(fleetOf({ autopilotIdentities: { count: 0, from: 'this-run' }, devicePrepGroups: [] }).size).toBeNull();
  });
});
