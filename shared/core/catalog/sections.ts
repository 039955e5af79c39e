import { cite, LEARN } from './learn.js';

// Sections several catalog entries rest on, named once (the catalog's entries cite them by name).

export const SECTIONS = {
  anotherInstall: cite(
    LEARN.apTroubleshootingFaq,
    'Why is the error message "Another installation is in progress, please try again later" occurring during the ESP of a Windows Autopilot deployment?',
  ),
  preProvisioning0x801c03f3: cite(
    LEARN.apKnownIssues,
    'Pre-provisioning gives an error screen and the Microsoft-Windows-User Device Registration/Admin event log displays HResult error code 0x801C03F3',
  ),
  preProvisionRequirements: cite(LEARN.apPreProvision, 'Requirements'),
  preProvisionUserFlow: cite(LEARN.apPreProvision, 'User flow'),
  userFlowTips: cite(LEARN.apPreProvisionUserFlow, 'User-flow tips'),
  uploadErrorMessages: cite(LEARN.apWhatsNew, 'Updates to error message for manual device uploads'),
  checkInSchedule: cite(
    LEARN.intunePolicyFaq,
    "How long does it take for devices to get a policy, profile, or app after they're assigned?",
  ),
  deleteRecord: cite(
    LEARN.apKnownIssues,
    'Delete device record in Intune before reusing devices in self-deployment mode or Pre-Provisioning mode',
  ),
  deregister: cite(LEARN.apRegistrationOverview, 'Deregister a device'),
  dpCreateGroup: cite(LEARN.dpTutorialDeviceGroup, 'Create a device group'),
  dpMembership: cite(
    LEARN.dpKnownIssues,
    'Security group membership update failures might lead to non-compliant devices',
  ),
  dpNeverLaunches: cite(
    LEARN.dpTroubleshootingFaq,
    'Windows Autopilot device preparation experience never launches during the out-of-box experience (OOBE)',
  ),
  dpNotAdded: cite(
    LEARN.dpTroubleshootingFaq,
    "Device isn't being added to the device group specified in the Windows Autopilot device preparation policy",
  ),
  entraDeleted: cite(
    LEARN.apTroubleshootingFaq,
    "Why did deleting a device's object in Microsoft Entra ID cause the device to not be able to join Microsoft Entra ID any longer?",
  ),
  espOptions: cite(LEARN.apTutorialEsp, 'Autopilot Enrollment Status Page (ESP) configuration options'),
  autopilotEventResource: cite(LEARN.graphAutopilotEvent),
  enrollmentTimeTargetResource: cite(LEARN.graphEnrollmentTimeTarget),
  importCsv: cite(LEARN.apTutorialRegister, 'Importing the hardware hash CSV file for devices into Intune'),
  fixPendingAttentionRequired: cite(LEARN.apMotherboard, 'Fix pending and Attention required'),
  reenroll0x80180014: cite(
    LEARN.apTroubleshootingFaq,
    'Why is error code "0x80180014" occurring when trying to re-enroll a previously enrolled device?',
  ),
  reportIncorrectFailure: cite(
    LEARN.apKnownIssues,
    'Windows Autopilot report incorrectly shows failure even though the deployment was successful',
  ),
  reportFailureOnSuccess: cite(
    LEARN.apKnownIssues,
    'Autopilot deployment report shows "failure" status on a successful deployment',
  ),
  reportMissingDevice: cite(LEARN.apKnownIssues, "Autopilot deployment report doesn't show deployed device"),
  selfDeployFails: cite(LEARN.apKnownIssues, 'Windows Autopilot self-deploying mode fails with an error code'),
  sync: cite(LEARN.graphAutopilotSettings, 'Methods (sync action)'),
  registrationFailures: cite(LEARN.apManualRegistration, 'Troubleshooting registration failures'),
  unblock: cite(LEARN.apWhatsNew, 'How to unblock devices'),
  unblockFixPending: cite(
    LEARN.apWhatsNew,
    'Unblock fix pending state for self-deploying and pre-provisioning mode for disabled OEMs',
  ),
  verifyProfile: cite(LEARN.apTutorialProfile, 'Verify device has an Autopilot profile assigned to it'),
  win32Time: cite(LEARN.apWhatsNew, 'Win32 app configurable installation time impacts the Enrollment Status Page'),
} as const;
