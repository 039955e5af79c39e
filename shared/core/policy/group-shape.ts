import type { GroupShape } from './types.js';

// The one rule for "may this device-preparation group be written to?", shared by the poll's decision and the
// worker's fresh re-check before the write. Microsoft documents the device group as an assigned (not dynamic)
// security group whose "Microsoft Entra roles can be assigned to the group" setting is No: "Windows Autopilot
// device preparation troubleshooting FAQ", question "The device isn't being added to the device group specified
// in the Windows Autopilot device preparation policy", https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq
// (which points to the tutorial step "Create a device group").

/** Why the group's current shape forbids writing to it, or null when it may be written. `exists` is the caller's case. */
export function groupShapeProblem(groupId: string, g: Omit<GroupShape, 'exists'>): string | null {
  if (g.isDynamic) return `group ${groupId} is dynamic: device preparation needs an assigned group`;
  if (!g.securityEnabled) return `group ${groupId} is not a security group`;
  if (g.isAssignableToRole) return `group ${groupId} is role-assignable, which device preparation does not support`;
  return null;
}
