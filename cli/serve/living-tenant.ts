import type { Simulator } from '../../sim/index.js';

// `serve` on the embedded default: a tenant that keeps producing the problems the product exists for, one at a time,
// so the dashboard shows findings appear, get remediated, verify and resolve, and alerts follow. Each incident is a
// change an administrator would recognise, made through the simulator's tenant API (the same state Graph serves):
//  - a device blocked after a failed re-deployment (self-deploying reuse, 0x80180014): unblocked automatically;
//  - a device dropped from the device-preparation group: added back automatically;
//  - the Intune Provisioning Client removed as the group's owner: restored automatically;
//  - a TPM attestation failure (0x81039001): needs a person, so it is alerted and stays open;
//  - a hardware hash imported that does not show until the tenant syncs: a sync is triggered once the import has
//    stayed invisible for IMPORT_VISIBLE_MINUTES.

export interface Incident {
  readonly kind: 'blocked' | 'dropped-from-group' | 'owner-removed' | 'tpm-failure' | 'import-needs-sync';
  /** What it is about: a serial number or a group id. */
  readonly subject: string;
  readonly at: number;
}

const PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const KINDS: readonly Incident['kind'][] = [
  'blocked',
  'dropped-from-group',
  'owner-removed',
  'tpm-failure',
  'import-needs-sync',
];

export interface LivingTenant {
  /** Plant the next incident now; null when none applies. */
  plantNext(): Incident | null;
}

export function livingTenant(
  sim: Simulator,
  opts: { readonly groupId: string | null; readonly onIncident: (i: Incident) => void },
): LivingTenant {
  let turn = 0;
  let seq = 0;
  const plantNext = (): Incident | null => {
    for (let tries = 0; tries < KINDS.length; tries += 1) {
      const kind = KINDS[turn % KINDS.length] ?? 'blocked';
      turn += 1;
      const subject = plant(sim, kind, opts.groupId, (seq += 1));
      if (subject !== null) {
        const incident = { kind, subject, at: sim.clock.nowMs() };
        opts.onIncident(incident);
        return incident;
      }
    }
    return null;
  };
  return { plantNext };
}

function plant(sim: Simulator, kind: Incident['kind'], groupId: string | null, seq: number): string | null {
  const t = sim.tenant;
  const state = t.state;
  switch (kind) {
    case 'blocked':
    case 'tpm-failure': {
      // A healthy, enrolled Autopilot device: the least recently chosen one, so incidents move around the fleet.
      const healthy = state.identities
        .values()
        .filter((i) => i.enrollmentState === 'enrolled' && i.userlessEnrollmentStatus !== 'blocked' && i.serialNumber);
      const device = healthy[seq % Math.max(1, healthy.length)];
      if (!device) return null;
      const failure = kind === 'blocked' ? '0x80180014' : '0x81039001';
      if (kind === 'blocked')
        t.setIdentity(device.id, { enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked' });
      t.addEvent({
        id: `0e${String(seq).padStart(6, '0')}-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`,
        deviceSerialNumber: device.serialNumber,
        deviceId: device.managedDeviceId,
        managedDeviceName: device.displayName,
        enrollmentType:
          kind === 'blocked' ? 'azureADJoinedUsingDeviceAuthWithAutopilotProfile' : 'azureADJoinedWithWhiteGlove',
        deploymentState: 'failure',
        deviceSetupStatus: 'failure',
        enrollmentFailureDetails: `Deployment failed with ${failure}`,
        deploymentStartDateTime: 'now-25m',
        deploymentEndDateTime: 'now-1m',
        eventDateTime: 'now-1m',
        deploymentTotalDuration: 'PT24M',
      });
      return device.serialNumber;
    }
    case 'dropped-from-group': {
      if (groupId === null) return null;
      const member = t.groupMembers(groupId)[seq % Math.max(1, t.groupMembers(groupId).length)];
      if (!member || !t.removeGroupMember(groupId, member)) return null;
      return state.devices.get(member)?.displayName ?? member;
    }
    case 'import-needs-sync': {
      const n = String(seq).padStart(12, '0');
      const serial = `LT${n.slice(-8)}`;
      t.addPendingImport({
        importedDateTime: 'now-1m',
        identity: {
          id: `ad100000-0000-4000-8000-${n}`,
          azureActiveDirectoryDeviceId: `de100000-0000-4000-8000-${n}`,
          azureAdDeviceId: `de100000-0000-4000-8000-${n}`,
          deploymentProfileAssignmentStatus: 'pending',
          enrollmentState: 'notContacted',
          groupTag: 'Office',
          manufacturer: 'HP',
          model: 'HP EliteBook 840 G10 Notebook PC',
          serialNumber: serial,
          userlessEnrollmentStatus: 'allowed',
        },
      });
      return serial;
    }
    case 'owner-removed': {
      if (groupId === null) return null;
      const client = state.servicePrincipals.values().find((sp) => sp.appId === PROVISIONING_CLIENT_APP_ID);
      if (!client || !t.removeGroupOwner(groupId, client.id)) return null;
      return groupId;
    }
  }
}
