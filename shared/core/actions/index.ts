import { ACTIONS, type ActionName } from '../model/index.js';
import { addToDevicePrepGroup } from './add-to-device-prep-group.js';
import { allowNextEnrollment } from './allow-next-enrollment.js';
import { autopilotSync } from './autopilot-sync.js';
import { deleteIntuneDeviceRecord } from './delete-intune-device-record.js';
import { deregisterAutopilotDevice } from './deregister-autopilot-device.js';
import { restoreDevicePrepOwner } from './restore-device-prep-owner.js';
import type { ActionModule, ActionRegistry } from './types.js';

export { MAX_MEMBERS_PER_COMMAND } from './add-to-device-prep-group.js';
export { MAX_SERIAL_LENGTH, messageSerialProblem, sameSerial, serialKey } from './target-checks.js';
export type * from './types.js';

/** Every remediation action. The mapped type makes the compiler demand a module for each name in ACTIONS. */
export const ACTION_MODULES: ActionRegistry = {
  'autopilot-sync': autopilotSync,
  'allow-next-enrollment': allowNextEnrollment,
  'add-to-device-prep-group': addToDevicePrepGroup,
  'restore-device-prep-owner': restoreDevicePrepOwner,
  'delete-intune-device-record': deleteIntuneDeviceRecord,
  'deregister-autopilot-device': deregisterAutopilotDevice,
};

/** The module of an action, typed for any action name (callers pass the remedy or target of that action). */
export function actionModule<A extends ActionName>(action: A): ActionModule<A> {
  return ACTION_MODULES[action];
}

/**
 * Does one command of `action` answer the whole tenant (the sync: every finding it acts on, also those its message
 * does not list)? Any text is asked: a name that is no action of this build is not tenant-wide.
 */
export function isTenantWide(action: string): boolean {
  return (ACTIONS as readonly string[]).includes(action) && actionModule(action as ActionName).subjectKind === 'tenant';
}
