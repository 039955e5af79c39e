import { actionModule } from '../actions/index.js';
import { groupSettled, type Decision, type DevicePrepGroupSnapshot } from '../model/index.js';
import type { BlastRadius, Fleet, PolicySettings } from './types.js';

// The blast-radius breaker: a run that would act on too much of the tenant drops to plan mode as a whole.
// Two limits, so it makes sense at every size:
//   • absolute: more than BLAST_RADIUS_MAX_DEVICES targets trips, whatever the fleet;
//   • relative: more than BLAST_RADIUS_MAX_PERCENT of the fleet trips, but only above BLAST_RADIUS_MIN_DEVICES
//     targets, so a 1- or 6-device tenant with two blocked devices is still remediated (2 of 6 is 33 %).
// Every enforce-mode action counts: each device once (unblock, group membership), each group whose owner is
// restored, and a tenant-wide sync. When the run does not know the fleet size, only the absolute limit applies.

type Acting = Decision & { readonly remedy: NonNullable<Decision['remedy']> };

export function isActing(d: Decision): d is Acting {
  return d.kind === 'remediate' && d.remedy !== null && d.mode !== 'off';
}

/** What one enforce-mode action writes to: a device (serial when known), a group, or the tenant (each action's module). */
function targetOf(d: Acting): string {
  return actionModule(d.remedy.action).blastTarget(d.remedy);
}

/** What the run read that tells the fleet size. */
export interface FleetReads {
  /** Autopilot identities: counted by this run's full read, else by the last full read (remembered), else null. */
  readonly autopilotIdentities: { readonly count: number; readonly from: 'this-run' | 'last-sweep' } | null;
  /** The configured device-preparation groups as this run read them (their candidates: devices of the policy). */
  readonly devicePrepGroups: readonly DevicePrepGroupSnapshot[];
}

/**
 * The fleet the percentage is taken of: the Autopilot identities, plus the device-preparation devices (Entra
 * devices whose enrollment profile is a configured policy). Device preparation is for devices that are NOT
 * registered in Autopilot, so the two populations add up; a candidate that is Autopilot-registered is already
 * counted among the identities. Neither known: the size is unknown.
 */
export function fleetOf(reads: FleetReads): Fleet {
  const ap = reads.autopilotIdentities;
  const candidates = new Map<string, boolean>();
  // A settled group (groupSettled) lists only its Autopilot-registered devices; its counts give the others.
  let unlisted = 0;
  for (const g of reads.devicePrepGroups) {
    for (const c of g.candidates) candidates.set(c.objectId.toLowerCase(), c.isAutopilotRegistered);
    if (g.group !== null && groupSettled(g)) unlisted += Math.max(0, (g.counts?.candidates ?? 0) - g.candidates.length);
  }
  const dpRead = reads.devicePrepGroups.some((g) => g.group !== null);
  const dp = unlisted + (ap ? [...candidates.values()].filter((registered) => !registered).length : candidates.size);
  if (ap === null && (!dpRead || dp === 0)) {
    return {
      size: null,
      source: 'fleet size unknown: this run read neither all Autopilot devices nor any device-preparation devices',
    };
  }
  // Without the Autopilot count the device-preparation devices are a fleet only for device-preparation actions:
  // an unblock or a sync measured against them would be a percentage of the wrong population (blastRadiusOf).
  if (ap === null)
    return {
      size: dp,
      source: `${dp} device-preparation devices (Autopilot devices not read by this run)`,
      scope: 'device-preparation',
    };
  const parts: string[] = [];
  parts.push(
    `${ap.count} Autopilot devices (${ap.from === 'this-run' ? 'read by this run' : 'as of the last full sweep'})`,
  );
  if (dpRead && dp > 0) parts.push(`${dp} device-preparation devices`);
  const size = ap.count + dp;
  return size > 0
    ? { size, source: parts.join(' + '), scope: 'all' }
    : { size: null, source: 'fleet size unknown: the tenant has no Autopilot or device-preparation devices' };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "7 targets (5 devices, 1 group owner, a tenant-wide sync)", or "2 devices" when only devices. */
function describe(total: number, devices: number, groups: number, sync: boolean): string {
  if (groups === 0 && !sync) return plural(devices, 'device');
  const parts = [
    plural(devices, 'device'),
    ...(groups > 0 ? [plural(groups, 'group owner')] : []),
    ...(sync ? ['a tenant-wide sync'] : []),
  ];
  return `${plural(total, 'target')} (${parts.join(', ')})`;
}

/** The fleet as measured, unless it counts only device-preparation devices and the run acts on Autopilot too. */
function fleetFor(acting: readonly Acting[], measured: Fleet): Fleet {
  const onAutopilot = acting.some((d) => actionModule(d.remedy.action).fleet === 'autopilot');
  if (measured.scope !== 'device-preparation' || !onAutopilot) return measured;
  return {
    size: null,
    source: `fleet size unknown for Autopilot actions: this run read only the device-preparation devices (${measured.size ?? 0})`,
  };
}

export function blastRadiusOf(decisions: readonly Decision[], measured: Fleet, policy: PolicySettings): BlastRadius {
  const acting = decisions.filter(isActing).filter((d) => d.mode === 'enforce');
  const targets = new Set(acting.map(targetOf));
  const fleet = fleetFor(acting, measured);
  const kinds = [...targets].map((t) => t.slice(0, t.indexOf('|')));
  const devices = kinds.filter((k) => k === 'device').length;
  const groups = kinds.filter((k) => k === 'group').length;
  const total = targets.size;
  const limit = {
    devices: policy.blastRadiusMaxDevices,
    percent: policy.blastRadiusMaxPercent,
    minDevices: policy.blastRadiusMinDevices,
  };
  const percent = fleet.size !== null && fleet.size > 0 ? Math.round((total * 10_000) / fleet.size) / 100 : null;
  const what = describe(total, devices, groups, kinds.includes('tenant'));
  const overCount = total > limit.devices;
  const overPercent = percent !== null && percent > limit.percent && total > limit.minDevices;
  const basis =
    percent === null
      ? `${fleet.source}; only the absolute limit applies: at most ${limit.devices}, and this run acts on ${what}`
      : `this run acts on ${what}, ${percent}% of a fleet of ${fleet.size} (${fleet.source}); limits: more than ${limit.devices}, ` +
        `or more than ${limit.percent}% of the fleet when more than ${limit.minDevices}`;
  const reason = overCount
    ? `the run would act on ${what}, more than the limit of ${limit.devices}` +
      (percent === null ? ` (${fleet.source}, so only this absolute limit applies)` : '')
    : overPercent
      ? `the run would act on ${what}, ${percent}% of a fleet of ${fleet.size} (${fleet.source}): more than ${limit.percent}% of the fleet and more than ${limit.minDevices}`
      : null;
  return { exceeded: reason !== null, targets: total, devices, percent, fleet, limit, basis, reason };
}
