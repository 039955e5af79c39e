import { CODES } from './codes.js';
import type { CatalogEntry } from './types.js';

// Windows Autopilot device preparation: the device security group each policy writes to at enrollment, and
// the devices that should be in it. The owner is recognised by AppId only: its display name differs between
// tenants ("Intune Provisioning Client" / "Intune Autopilot ConfidentialClient").

const APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const NEW_GROUP =
  `Create an assigned (static) Security group with "Microsoft Entra roles can be assigned to the group" = No, add ` +
  `the Intune Provisioning Client (AppId ${APP_ID}) as owner, select it on the policy's Device group page, assign ` +
  "the policy's apps and scripts to it, update DEVICE_PREP_GROUPS, and add the devices that deployed meanwhile.";

export const DEVICE_PREP_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.DP_GROUP_MISSING,
    title: 'Device-preparation device group does not exist',
    severity: 'critical',
    signal: 'A configured device-preparation device group returns 404.',
    fix: `The group was deleted, so deploying devices miss its security configuration. ${NEW_GROUP}`,
    remediation: null,
    reference: 'autopilot-reference §3.3, §2.8 D5; seed 004 L722–L746, L1141–L1181',
    cadence: 'poll',
  },
  {
    code: CODES.DP_GROUP_DYNAMIC,
    title: 'Device-preparation device group is dynamic',
    severity: 'error',
    signal: 'Configured group has DynamicMembership in groupTypes.',
    fix:
      'The service adds devices at enrollment, which a dynamic group refuses (changing the group from static to ' +
      'dynamic after configuring the policy is a documented failure). Set the membership type back to Assigned, or: ' +
      NEW_GROUP,
    remediation: null,
    reference: 'autopilot-reference §3.3, §2.8 D5; seed 004 L722–L746, L1143–L1181',
    cadence: 'poll',
  },
  {
    code: CODES.DP_GROUP_ROLE_ASSIGNABLE,
    title: 'Device-preparation device group is role-assignable',
    severity: 'error',
    signal: 'Configured group has isAssignableToRole = true.',
    fix:
      'Devices are not added to groups that can be assigned Microsoft Entra roles, and that setting can only be ' +
      `chosen when a group is created. ${NEW_GROUP}`,
    remediation: null,
    reference: 'autopilot-reference §3.3, §2.8 D1; seed 004 L598–L603, L722–L740',
    cadence: 'poll',
  },
  {
    code: CODES.DP_GROUP_NOT_SECURITY,
    title: 'Device-preparation device group is not a security group',
    severity: 'error',
    signal: 'Configured group has securityEnabled = false.',
    fix: `The device group must be a Security group. ${NEW_GROUP}`,
    remediation: null,
    reference: 'autopilot-reference §3.3; seed 004 L1143–L1181',
    cadence: 'poll',
  },
  {
    code: CODES.DP_GROUP_OWNER_MISSING,
    title: 'Intune Provisioning Client is not an owner of the device-preparation group',
    severity: 'error',
    signal: `No owner of the configured group is a service principal with appId ${APP_ID} (matched by appId, never by name).`,
    fix:
      'Without this owner the service cannot add devices at enrollment, and saving the policy fails ("There was a ' +
      'problem with the device security group…", 0 groups assigned). Autopilot-medic adds the service principal back ' +
      `as owner when it exists in the tenant; by hand: the group › Owners › Add owners › search for ${APP_ID}. Then add ` +
      'the devices that deployed meanwhile.',
    remediation: 'restore-device-prep-owner',
    reference: 'autopilot-reference §3.3, §2.8 D1–D2, D5; seed 004 L598–L603, L630–L639, L722–L746',
    cadence: 'poll',
  },
  {
    code: CODES.DP_PROVISIONING_CLIENT_MISSING,
    title: 'Intune Provisioning Client service principal missing from the tenant',
    severity: 'critical',
    signal: `A configured group lacks the owner and the tenant has no service principal with appId ${APP_ID}.`,
    fix:
      'A person who can add service principals must create it: install the Microsoft.Graph.Authentication and ' +
      'Microsoft.Graph.Applications modules, run Connect-MgGraph -Scopes "Application.ReadWrite.All" (consent on ' +
      `behalf of the organisation), then New-MgServicePrincipal -AppID ${APP_ID}. A 409 ` +
      'Request_MultipleObjectsWithSameKeyValue means it already exists; a 403 Authorization_RequestDenied means missing ' +
      'rights or consent. Autopilot-medic then restores it as owner of the groups.',
    remediation: null,
    reference: 'autopilot-reference §3.3, §2.8 D4; seed 004 L641–L646, L1183–L1269',
    cadence: 'poll',
  },
  {
    code: CODES.DP_DEVICE_NOT_IN_GROUP,
    title: 'Device-preparation device missing from its device group',
    severity: 'warning',
    signal:
      "Entra device whose enrollmentProfileName equals the configured group's policy name (whole value) is not a " +
      'member; raised only when the group exists and is an assigned, non-role-assignable Security group (otherwise the ' +
      'group finding covers it).',
    fix:
      "The device deployed through the policy but was not put in its device group, so it misses the group's apps, " +
      'scripts and security settings. Autopilot-medic adds it by its Entra object id; by hand: the group › Members › ' +
      'Add members. Then fix the cause: the Intune Provisioning Client must own the group, the policy must point at ' +
      'this group, and its author needs the "Enrollment time device membership assignment" permission.',
    remediation: 'add-to-device-prep-group',
    reference: 'autopilot-reference §3.3, §2.8 D1, D5; seed 004 L598–L603, L722–L746, L143–L147',
    cadence: 'poll',
  },
  {
    code: CODES.DP_TARGET_AUTOPILOT_REGISTERED,
    title: 'Device-preparation device is also registered with Windows Autopilot',
    severity: 'warning',
    signal:
      'A device that deployed through a device-preparation policy (enrollmentProfileName = policy name, or a ' +
      'device-preparation deployment row) is also a registered Autopilot device (ZTDID, or an Autopilot record).',
    fix:
      'A device runs only one of the two: a registered Autopilot device (or one with a profile) runs classic ' +
      'Autopilot and the ESP on its next reset, not device preparation. If it should use device preparation, ' +
      'deregister it from Windows Autopilot (delete the Intune record, unassign the user, delete the Autopilot record). ' +
      'Autopilot-medic never deregisters automatically: it is destructive.',
    remediation: null,
    reference: 'autopilot-reference §2.8 D6, §3.3 design note 4; seed 004 L605–L623, L101, L563–L572',
    cadence: 'poll',
  },
  {
    code: CODES.DP_DEPLOYMENT_FAILED,
    title: 'Device-preparation deployment failed',
    severity: 'error',
    signal: 'Latest AutopilotV2DeploymentStatus row of the device has status failed.',
    fix:
      'Open the deployment in Devices › Monitor › Windows Autopilot device preparation deployments and download the ' +
      'logs collected on failure. Any selected app or script that fails aborts the deployment: fix it, and check it is ' +
      "assigned (Required, system context) to the policy's device group — Skipped means it is not. If time ran out, " +
      'raise "Minutes allowed before showing installation error" (15–720) on the policy. The user can then Retry.',
    remediation: null,
    reference: 'autopilot-reference §2.8 D7, D10, D11, §7.2; seed 004 L953–L955, L131–L135, L1551–L1553, L625–L628',
    cadence: 'sweep',
  },
];
