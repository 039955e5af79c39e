import type { TargetOf } from '../../../core/actions/index.js';
import type { ActionName, Outcome, RemediationCommand } from '../../../core/model/index.js';
import type { OutcomeReader } from '../../history/subject-outcomes.js';
import type { RemediationDeps } from '../deps.js';
import { executeSync } from '../sync.js';
import { addToDevicePrepGroupHandler } from './add-to-device-prep-group.js';
import { allowNextEnrollmentHandler } from './allow-next-enrollment.js';
import { deleteIntuneDeviceRecordHandler } from './delete-intune-device-record.js';
import { deregisterAutopilotDeviceHandler } from './deregister-autopilot-device.js';
import { restoreDevicePrepOwnerHandler } from './restore-device-prep-owner.js';
import type { TargetHandler } from './types.js';

export type * from './types.js';

// The worker half of the action registry (core/actions has the other): how the worker executes each action.
// A targeted action gives a TargetHandler and runs in the shared lifecycle (targeted.ts: claim, fresh pre-check,
// attempt row, write, re-read); the tenant-wide sync runs its own, governed by the sync window (sync.ts).

export type WorkerHandler<A extends ActionName> =
  | {
      readonly kind: 'targeted';
      /** `outcomes`: the command's history reader, shared with the limits the lifecycle checks after the pre-check. */
      readonly handler: (target: TargetOf<A>, deps: RemediationDeps, outcomes: OutcomeReader) => TargetHandler;
    }
  | {
      readonly kind: 'own-lifecycle';
      readonly execute: (command: RemediationCommand, deps: RemediationDeps, modeNote: string) => Promise<Outcome>;
    };

export const WORKER_HANDLERS: { readonly [A in ActionName]: WorkerHandler<A> } = {
  'autopilot-sync': { kind: 'own-lifecycle', execute: executeSync },
  'allow-next-enrollment': { kind: 'targeted', handler: allowNextEnrollmentHandler },
  'add-to-device-prep-group': { kind: 'targeted', handler: addToDevicePrepGroupHandler },
  'restore-device-prep-owner': { kind: 'targeted', handler: restoreDevicePrepOwnerHandler },
  'delete-intune-device-record': { kind: 'targeted', handler: deleteIntuneDeviceRecordHandler },
  'deregister-autopilot-device': { kind: 'targeted', handler: deregisterAutopilotDeviceHandler },
};

export function workerHandler<A extends ActionName>(action: A): WorkerHandler<A> {
  return WORKER_HANDLERS[action];
}
