import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
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
    docs: [SECTIONS.dpMembership, SECTIONS.dpCreateGroup],
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
    docs: [SECTIONS.dpMembership, SECTIONS.dpCreateGroup],
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
    docs: [SECTIONS.dpNotAdded, SECTIONS.dpMembership],
    cadence: 'poll',
  },
  {
    code: CODES.DP_GROUP_NOT_SECURITY,
    title: 'Device-preparation device group is not a security group',
    severity: 'error',
    signal: 'Configured group has securityEnabled = false.',
    fix: `The device group must be a Security group. ${NEW_GROUP}`,
    remediation: null,
    docs: [SECTIONS.dpCreateGroup],
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
    docs: [
      SECTIONS.dpNotAdded,
      cite(
        LEARN.dpTroubleshootingFaq,
        "Device security group isn't saving in Windows Autopilot device preparation policy",
      ),
      SECTIONS.dpMembership,
    ],
    cadence: 'poll',
  },
  {
    code: CODES.DP_POLICY_TARGET_MISMATCH,
    title: 'Device-preparation policy does not put devices in the configured group',
    severity: 'critical',
    signal:
      "The policy's enrollment-time device membership target (Graph beta retrieveEnrollmentTimeDeviceMembershipTarget " +
      'on the configurationPolicies entry named by DEVICE_PREP_GROUPS policyId) is another group, no group at all, or ' +
      'the policy no longer exists.',
    fix:
      "The service adds devices at enrollment only to the group selected on the policy's Device group page, and a " +
      'policy can be saved with no device group at all (then device preparation never launches in OOBE). ' +
      'Autopilot-medic writes nothing to the configured group until they agree. Either select the configured group on ' +
      'the policy (Devices › Windows › Enrollment › Device preparation policies › the policy › Device group), or ' +
      'correct DEVICE_PREP_GROUPS (groupId and policyId) to the group the policy really uses.',
    remediation: null,
    docs: [SECTIONS.dpNotAdded, SECTIONS.dpNeverLaunches, SECTIONS.enrollmentTimeTargetResource],
    cadence: 'poll',
  },
  {
    code: CODES.DP_POLICY_TARGET_UNVERIFIED,
    title: "Device-preparation policy's device group could not be verified: nothing is written to it",
    severity: 'warning',
    signal:
      'DEVICE_PREP_GROUPS gives no policyId for the group, the retrieveEnrollmentTimeDeviceMembershipTarget read failed, ' +
      'or the service reports a validation code that does not prove the target (securityGroupNotInCallerScope, or one ' +
      'this version does not know).',
    fix:
      "Autopilot-medic writes to a device-preparation group only after the policy itself names it. Add the policy's id " +
      'to its DEVICE_PREP_GROUPS entry ("policyId": the id in the policy\'s address in the Intune admin center) and ' +
      'grant DeviceManagementConfiguration.Read.All. If the read keeps failing, check that the policy exists and that ' +
      "the app's Intune scope includes the group. Detection of the group's shape and owner continues meanwhile.",
    remediation: null,
    docs: [SECTIONS.enrollmentTimeTargetResource],
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
    docs: [
      cite(
        LEARN.dpTroubleshootingFaq,
        'Unable to find Intune Provisioning Client with AppID of f1346770-5b25-470b-88bd-d5744ab7952c when trying to set the owner of the Windows Autopilot device preparation policy device group',
      ),
      cite(LEARN.dpTutorialDeviceGroup, 'Adding the Intune Provisioning Client service principal'),
    ],
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
    docs: [
      SECTIONS.dpNotAdded,
      SECTIONS.dpMembership,
      cite(LEARN.dpWhatsNew, 'enrollmentProfileName property is now populated with the Device preparation policy name'),
    ],
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
    docs: [
      SECTIONS.dpNeverLaunches,
      cite(LEARN.dpCompare, 'Using Windows Autopilot device preparation and Windows Autopilot concurrently'),
      cite(
        LEARN.dpFaq,
        'How does a user know that a Windows Autopilot device preparation deployment is running on their device?',
      ),
    ],
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
    docs: [
      cite(LEARN.dpTutorialWorkflow, 'Windows Autopilot device preparation user-driven Microsoft Entra join process'),
      cite(
        LEARN.dpWhatsNew,
        'Diagnostics logs automatically available in Windows Autopilot device preparation deployment status report',
      ),
      cite(LEARN.dpTutorialPolicy, 'Configuration settings'),
      cite(LEARN.dpReporting),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.DP_APP_SKIPPED,
    title: 'Device-preparation apps were skipped',
    severity: 'warning',
    signal:
      "AutopilotV2DeploymentStatusDetailedAppInfo reports Skipped for one or more apps of the device's latest " +
      'device-preparation deployment.',
    fix:
      "Skipped usually means the app is selected in the device preparation policy but not assigned to the policy's " +
      'device group (or not applicable to the device): assign it to that group as Required, installing in the System ' +
      "context. If they are Win32, WinGet (Microsoft Store) or Enterprise App Catalog apps and the tenant's Managed " +
      'installer policy is Active, they are skipped during OOBE and install after the user reaches the desktop — check ' +
      'they did, or turn the managed installer off for device preparation.',
    remediation: null,
    docs: [
      cite(LEARN.dpReporting, 'Apps'),
      cite(
        LEARN.dpKnownIssues,
        'Win32 and WinGet applications are skipped when Managed installer policy is enabled for the tenant',
      ),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.DP_SCRIPT_SKIPPED,
    title: 'Device-preparation PowerShell scripts were skipped',
    severity: 'warning',
    signal:
      "AutopilotV2DeploymentStatusDetailedScriptInfo reports Skipped for one or more scripts of the device's latest " +
      'device-preparation deployment.',
    fix:
      'Skipped usually means the script is selected in the device preparation policy but not assigned to the ' +
      "policy's device group. Assign it to that group and make it run in the System context (no user is signed in " +
      'during OOBE).',
    remediation: null,
    docs: [
      cite(LEARN.dpReporting, 'Scripts'),
      cite(LEARN.dpTroubleshootingFaq, "Applications or PowerShell scripts aren't getting installed"),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.DP_DEPLOYMENT_STUCK_AT_100,
    title: 'Device-preparation deployment stuck at 100%',
    severity: 'warning',
    signal:
      'Latest AutopilotV2DeploymentStatus row is In progress more than DEPLOYMENT_STUCK_HOURS after enrollment, while ' +
      'the app and script detail exports show none of its apps or scripts still in progress.',
    fix:
      'A known issue: the device can stop at 100% in OOBE and the deployment only continues once the user restarts it. ' +
      'Ask the user to restart the device; if it still does not finish, collect its logs and retry the deployment.',
    remediation: null,
    docs: [cite(LEARN.dpKnownIssues, 'Device is stuck at 100% during the out-of-box experience (OOBE)')],
    cadence: 'sweep',
  },
  {
    code: CODES.DP_REPORT_EXPORT_FAILED,
    title: 'Device-preparation report export failed: its checks were skipped',
    severity: 'warning',
    signal:
      'Creating, polling or downloading a device-preparation report export (AutopilotV2DeploymentStatus or its app / ' +
      'script detail reports) failed during the compliance sweep. Error if the failure is a missing permission.',
    fix:
      'The sweep carried on without the report, so device-preparation deployment failures, skipped apps and scripts ' +
      'were neither checked nor cleared today. A permission error means the app lacks ' +
      'DeviceManagementManagedDevices.ReadWrite.All (export jobs are created with a POST); grant it and consent. Otherwise it is usually passing service trouble: the next sweep ' +
      'retries. If it keeps failing, export the report in Devices › Monitor to see whether Intune can produce it.',
    remediation: null,
    docs: [cite(LEARN.intuneExportReports)],
    cadence: 'sweep',
  },
];
