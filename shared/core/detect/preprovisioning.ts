import { CODES, type FindingCode } from '../catalog/codes.js';
import type { Finding, ManagedDevice, Severity, TenantSnapshot } from '../model/index.js';
import { isTechnicianFlow } from './deployment.js';
import { deviceSubject, makeFinding } from './finding.js';
import { eventStart, lookup, managedForIdentity, normSerial, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';

// Pre-provisioning timers ("Windows Autopilot for pre-provisioned deployment" › User flow,
// https://learn.microsoft.com/autopilot/pre-provision, and "Pre-provision Microsoft Entra join: User flow" › User-flow
// tips, https://learn.microsoft.com/autopilot/tutorial/pre-provisioning/azure-ad-join-user-flow). The deployment report
// has no row for the user flow, so it is inferred:
//  - the Autopilot record's lastContactedDateTime moves only when a device in OOBE talks to the service, so a
//    contact after the reseal marks the start of the user flow (used for the 90-minute check);
//  - an Intune check-in well after the reseal means the device is in use again (a resealed device is off).
// The technician run itself comes from this run's events or, once they age out, from `snapshot.memory`.

/** Check-ins and contacts this close after the technician run still belong to it (before Reseal). */
const RESEAL_MARGIN_MS = 15 * 60_000;

export const PREPROVISIONING_CODES: readonly FindingCode[] = [
  CODES.AP_PREPROV_USER_FLOW_PENDING,
  CODES.AP_PREPROV_USER_FLOW_TOO_SOON,
];

export interface TechnicianRun {
  readonly key: string;
  readonly serialNumber: string;
  readonly autopilotId: string | null;
  readonly technicianEndAt: number;
  /** Seen in this run's events (true) or only remembered (false). */
  readonly fromEvent: boolean;
}

export interface UserFlowState {
  /** Autopilot contact after the reseal: when the user flow's OOBE started (upper bound), or null. */
  readonly startedAt: number | null;
  /** Any sign the device was used after the reseal. */
  readonly seen: boolean;
  /** Could this run have seen such a sign at all? */
  readonly observable: boolean;
  readonly managed: ManagedDevice | null;
}

const SUCCESS = new Set(['success', 'successOnRetry', 'successWithTimeout']);

/** Latest successful technician run per device; a later deployment of any kind supersedes it. */
export function technicianRuns(snapshot: TenantSnapshot): Map<string, TechnicianRun> {
  const L = lookup(snapshot);
  const runs = new Map<string, TechnicianRun>();
  for (const [key, events] of L.eventsByKey) {
    const e = events[events.length - 1];
    if (!e || !isTechnicianFlow(e) || !SUCCESS.has(e.deploymentState) || e.deploymentEndAt === null) continue;
    const i = L.identityByKey.get(key);
    runs.set(key, {
      key,
      serialNumber: i?.serialNumber ?? e.serialNumber ?? key,
      autopilotId: i?.id ?? null,
      technicianEndAt: e.deploymentEndAt,
      fromEvent: true,
    });
  }
  for (const m of snapshot.memory?.preprovisionedRuns ?? []) {
    const key = normSerial(m.serialNumber) ?? m.autopilotId;
    if (key === null) continue;
    const known = runs.get(key);
    if (known && known.technicianEndAt >= m.technicianEndAt) continue;
    const latest = L.eventsByKey.get(key)?.at(-1);
    const latestStart = latest ? eventStart(latest) : null;
    if (latestStart !== null && latestStart >= m.technicianEndAt) continue; // redeployed since
    runs.set(key, {
      key,
      serialNumber: m.serialNumber,
      autopilotId: m.autopilotId,
      technicianEndAt: m.technicianEndAt,
      fromEvent: false,
    });
  }
  return runs;
}

export function userFlowState(snapshot: TenantSnapshot, L: Lookup, run: TechnicianRun, gapMs: number): UserFlowState {
  const i = L.identityByKey.get(run.key);
  const managed = i ? managedForIdentity(L, i) : (L.managedByKey.get(run.key) ?? null);
  const contact = i?.lastContactedAt ?? null;
  const startedAt = contact !== null && contact > run.technicianEndAt + RESEAL_MARGIN_MS ? contact : null;
  const lastSync = managed?.lastSyncAt ?? null;
  const checkedIn = lastSync !== null && lastSync > run.technicianEndAt + gapMs;
  return {
    startedAt,
    seen: startedAt !== null || checkedIn,
    observable: i !== undefined || managed !== null || snapshot.complete.managedDevices,
    managed,
  };
}

function pendingSeverity(ageMs: number, rules: DetectorRules): Severity {
  if (ageMs >= rules.preprovUserFlowMaxMs) return 'error';
  return ageMs >= rules.preprovUserFlowWarnMs ? 'warning' : 'info';
}

export function detectPreprovisioning(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const out: Finding[] = [];
  for (const run of technicianRuns(snapshot).values()) {
    const subject = deviceSubject(run.key, run.serialNumber, run.autopilotId);
    const end = run.technicianEndAt;
    const flow = userFlowState(snapshot, L, run, rules.preprovMinGapMs);
    const evidence = {
      serialNumber: run.serialNumber,
      autopilotId: run.autopilotId,
      technicianEndAt: end,
      managedDeviceId: flow.managed?.id ?? null,
    };
    if (snapshot.kind === 'full' && flow.startedAt !== null && flow.startedAt - end < rules.preprovMinGapMs) {
      const minutes = Math.floor((flow.startedAt - end) / 60_000);
      out.push(
        makeFinding({
          code: CODES.AP_PREPROV_USER_FLOW_TOO_SOON,
          subject,
          evidence: { ...evidence, userFlowContactAt: flow.startedAt, minutesAfterTechnicianFlow: minutes },
          defining: { technicianEndAt: end },
        }),
      );
    }
    if (flow.seen) continue;
    // Intune record gone in a full read: the device was deleted or reset for reuse, nothing is waiting.
    if (snapshot.complete.managedDevices && flow.managed === null) continue;
    const severity = pendingSeverity(now - end, rules);
    // Without anything that could show the user flow, only a fresh run from this poll's events is reported,
    // and never above info: escalating on an unobservable device could accuse one already in use.
    if (!flow.observable && (!run.fromEvent || severity !== 'info')) continue;
    out.push(
      makeFinding({
        code: CODES.AP_PREPROV_USER_FLOW_PENDING,
        subject,
        severity,
        evidence: {
          ...evidence,
          deadlineAt: end + rules.preprovUserFlowMaxMs,
          ageDays: Math.floor((now - end) / 86_400_000),
        },
        defining: { technicianEndAt: end },
      }),
    );
  }
  return out;
}
