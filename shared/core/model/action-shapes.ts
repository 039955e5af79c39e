// The data of every remediation action, in one place: what a finding's remedy carries (everything the policy needs
// to decide) and what a queued command carries (the worker's request, re-checked against the tenant before it acts).
// RemedyTarget and CommandTarget are derived from this map, and the action registry (core/actions/index.ts) is typed
// over its keys, so a new action is: one entry here, its name in ACTIONS, its core module and its worker handler;
// the compiler names every other place that must follow.

export const ACTIONS = [
  'autopilot-sync',
  'allow-next-enrollment',
  'add-to-device-prep-group',
  'restore-device-prep-owner',
  'delete-intune-device-record',
  'deregister-autopilot-device',
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** The tenant-wide Autopilot sync needs no target. */
type Nothing = Readonly<Record<never, never>>;

export interface ActionShapes {
  readonly 'autopilot-sync': { readonly remedy: Nothing; readonly target: Nothing };
  readonly 'allow-next-enrollment': {
    readonly remedy: { readonly autopilotId: string; readonly serialNumber: string };
    readonly target: { readonly autopilotId: string; readonly serialNumber: string };
  };
  readonly 'add-to-device-prep-group': {
    readonly remedy: { readonly groupId: string; readonly objectId: string; readonly serialNumber: string | null };
    /** Up to 20 devices per command: one PATCH with members@odata.bind. */
    readonly target: {
      readonly groupId: string;
      readonly members: readonly { readonly objectId: string; readonly serialNumber: string | null }[];
    };
  };
  readonly 'restore-device-prep-owner': {
    readonly remedy: { readonly groupId: string; readonly servicePrincipalId: string };
    readonly target: { readonly groupId: string; readonly servicePrincipalId: string };
  };
  /** Destructive: proposed for a person's approval, never decided by the policy alone (core/approvals). */
  readonly 'delete-intune-device-record': {
    readonly remedy: { readonly managedDeviceId: string; readonly autopilotId: string; readonly serialNumber: string };
    /** `approvalId` names the approved request the worker must find before it writes. */
    readonly target: {
      readonly managedDeviceId: string;
      readonly autopilotId: string;
      readonly serialNumber: string;
      readonly approvalId: string;
    };
  };
  readonly 'deregister-autopilot-device': {
    readonly remedy: { readonly autopilotId: string; readonly serialNumber: string };
    readonly target: { readonly autopilotId: string; readonly serialNumber: string; readonly approvalId: string };
  };
}

type Tagged<K extends 'remedy' | 'target'> = {
  [A in ActionName]: { readonly action: A } & ActionShapes[A][K];
}[ActionName];

/** The remediation a finding asks for, with everything the worker needs to re-check and act. */
export type RemedyTarget = Tagged<'remedy'>;
/** What one queue message asks the worker to act on. */
export type CommandTarget = Tagged<'target'>;

// ACTIONS and ActionShapes name the same actions: each fails to compile without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const ACTION_SHAPES_COMPLETE: Same<ActionName, keyof ActionShapes> = true;
