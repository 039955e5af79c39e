import { beforeEach, describe, expect, it } from 'vitest';

import { parseCommand } from '../../../shared/adapters/servicebus/command-schema.js';
import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { addToDevicePrepGroupHandler } from '../../../shared/app/remediation/handlers/add-to-device-prep-group.js';
import { executeTargeted } from '../../../shared/app/remediation/targeted.js';
import type { TargetOf } from '../../../shared/core/actions/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  GROUP,
  objectId,
  POLICY_NAME,
  simHarness,
  T0,
  tableStores,
  withAzurite,
  writes,
  azuriteAndSimForFile,
} from './support.js';

// A forged add-to-device-prep-group message that names one device twice (the second time in upper case, as Graph
// compares ids case-insensitively). Before: the parser and the worker's checks took it, Graph was asked to bind the
// device twice, and the two per-member outcome rows shared one history key, so Table Storage refused the whole
// batch (InvalidDuplicateRow) after the tenant write: the outcome was lost and the message retried for ever.

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});
beforeEach(() => {
  sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep' });
  for (const i of [1, 2])
    sim.tenant.addDevice({
      id: objectId(i),
      deviceId: `e0000000-0000-4000-8000-00000000000${i}`,
      enrollmentProfileName: POLICY_NAME,
    });
  sim.clearRequests();
});

function forged(key: string, member = objectId(1)): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: key,
    action: 'add-to-device-prep-group',
    tenant: 'contoso',
    mode: 'enforce',
    target: {
      action: 'add-to-device-prep-group',
      groupId: GROUP,
      members: [
        { objectId: member, serialNumber: null },
        { objectId: member.toUpperCase(), serialNumber: null },
      ],
    },
    reasons: ['fp'],
    runId: 'run-1',
    createdAt: new Date(T0).toISOString(),
  };
}

describe('add-to-device-prep-group naming one member twice (forged message)', () => {
  it('is refused by the queue message parser', () => {
    const parsed = parseCommand(JSON.stringify(forged('dup-parse')));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('target.members.1.objectId: repeats an earlier member');
  });

  it('reaching the worker unparsed (in-process queue): refused, recorded and alerted, nothing written (Table Storage)', async () => {
    const stores = await tableStores(azurite, 'dup');
    const h = simHarness(sim, stores);
    const outcome = await executeRemediation(forged('dup-worker'), h.deps('w1'));
    expect(outcome.status).toBe('refused');
    expect(outcome.detail).toContain('target.members[1].objectId (repeats an earlier member)');
    expect(writes(sim)).toEqual([]);
    const rows = (await stores.history.query({ limit: 100 })).items;
    expect(rows.map((r) => [r.type, r.status])).toEqual([['outcome', 'refused']]);
    expect(h.alerts.alerts.map((a) => a.severity)).toEqual(['warning']);
  });

  it('past the checks, its outcome is still recorded once per member key, not lost (Table Storage)', async () => {
    // The second guard: run the handler directly, as if the checks had let the repeat through.
    const stores = await tableStores(azurite, 'dupk');
    const h = simHarness(sim, stores);
    // A device of its own: the simulator's tenant outlives each test, and this one is really written.
    const command = forged('dup-handler', objectId(2));
    const deps = h.deps('w1');
    const target = command.target as TargetOf<'add-to-device-prep-group'>;
    const outcome = await executeTargeted(command, addToDevicePrepGroupHandler(target, deps), deps);
    expect(outcome.status).toBe('succeeded');
    expect(sim.tenant.groupMembers(GROUP)).toEqual([objectId(2)]);
    const outcomes = (await stores.history.query({ limit: 100 })).items.filter((r) => r.type === 'outcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.subjectKey).toBe(objectId(2));
  });
});
