/**
 * Microsoft's public documentation the catalog rests on: every finding cites the page (and, where it has one,
 * the section) that documents its signal or its fix, so an administrator can read the source in one click.
 * Titles are the pages' own; addresses are learn.microsoft.com without a locale (Learn redirects to the reader's).
 */
export interface LearnPage {
  readonly title: string;
  readonly url: string;
}

/** A page and the section of it that says what the finding relies on (null: the page as a whole). */
export interface Citation {
  readonly page: LearnPage;
  readonly section: string | null;
}

const AUTOPILOT = 'https://learn.microsoft.com/autopilot';
const GRAPH_BETA = (path: string): string => `https://learn.microsoft.com/graph/api/${path}?view=graph-rest-beta`;

export const LEARN = {
  apKnownIssues: { title: 'Windows Autopilot - known issues', url: `${AUTOPILOT}/known-issues` },
  apWhatsNew: { title: "Windows Autopilot: What's new", url: `${AUTOPILOT}/whats-new` },
  apTroubleshootingFaq: { title: 'Windows Autopilot troubleshooting FAQ', url: `${AUTOPILOT}/troubleshooting-faq` },
  apFaq: { title: 'Windows Autopilot FAQ', url: `${AUTOPILOT}/faq` },
  apRegistrationOverview: {
    title: 'Windows Autopilot registration overview',
    url: `${AUTOPILOT}/registration-overview`,
  },
  apManualRegistration: { title: 'Manually register devices with Windows Autopilot', url: `${AUTOPILOT}/add-devices` },
  apProfiles: { title: 'Configure Autopilot profiles', url: `${AUTOPILOT}/profiles` },
  apDeviceGroups: { title: 'Create device groups for Windows Autopilot', url: `${AUTOPILOT}/enrollment-autopilot` },
  apPreProvision: { title: 'Windows Autopilot for pre-provisioned deployment', url: `${AUTOPILOT}/pre-provision` },
  apSelfDeploying: { title: 'Windows Autopilot self-deploying mode', url: `${AUTOPILOT}/self-deploying` },
  apScenarios: { title: 'Windows Autopilot scenarios', url: `${AUTOPILOT}/tutorial/autopilot-scenarios` },
  apMotherboard: {
    title: 'Windows Autopilot motherboard replacement scenario guidance',
    url: `${AUTOPILOT}/autopilot-motherboard-replacement`,
  },
  apDeviceGuidelines: { title: 'Windows Autopilot device guidelines', url: `${AUTOPILOT}/autopilot-device-guidelines` },
  apTutorialProfile: {
    title: 'User-driven Microsoft Entra join: Create and assign user-driven Microsoft Entra join Autopilot profile',
    url: `${AUTOPILOT}/tutorial/user-driven/azure-ad-join-autopilot-profile`,
  },
  apTutorialRegister: {
    title: 'User-driven Microsoft Entra join: Register devices as Autopilot devices',
    url: `${AUTOPILOT}/tutorial/user-driven/azure-ad-join-register-device`,
  },
  apTutorialEsp: {
    title: 'User-driven Microsoft Entra join: Configure and assign the Enrollment Status Page (ESP)',
    url: `${AUTOPILOT}/tutorial/user-driven/azure-ad-join-esp`,
  },
  apPreProvisionTechnician: {
    title: 'Pre-provision Microsoft Entra join: Technician flow',
    url: `${AUTOPILOT}/tutorial/pre-provisioning/azure-ad-join-technician-flow`,
  },
  apPreProvisionUserFlow: {
    title: 'Pre-provision Microsoft Entra join: User flow',
    url: `${AUTOPILOT}/tutorial/pre-provisioning/azure-ad-join-user-flow`,
  },
  dpKnownIssues: {
    title: 'Windows Autopilot device preparation - known issues',
    url: `${AUTOPILOT}/device-preparation/known-issues`,
  },
  dpTroubleshootingFaq: {
    title: 'Windows Autopilot device preparation troubleshooting FAQ',
    url: `${AUTOPILOT}/device-preparation/troubleshooting-faq`,
  },
  dpFaq: { title: 'Windows Autopilot device preparation FAQ', url: `${AUTOPILOT}/device-preparation/faq` },
  dpWhatsNew: {
    title: "Windows Autopilot device preparation: What's new",
    url: `${AUTOPILOT}/device-preparation/whats-new`,
  },
  dpCompare: {
    title: 'Compare Windows Autopilot device preparation and Windows Autopilot',
    url: `${AUTOPILOT}/device-preparation/compare`,
  },
  dpReporting: {
    title: 'Windows Autopilot device preparation reporting and monitoring',
    url: `${AUTOPILOT}/device-preparation/reporting-monitoring`,
  },
  dpTutorialWorkflow: {
    title: 'Step by step tutorial for Windows Autopilot device preparation user-driven Microsoft Entra join in Intune',
    url: `${AUTOPILOT}/device-preparation/tutorial/user-driven/entra-join-workflow`,
  },
  dpTutorialDeviceGroup: {
    title: 'Windows Autopilot device preparation user-driven Microsoft Entra join: Create a device group',
    url: `${AUTOPILOT}/device-preparation/tutorial/user-driven/entra-join-device-group`,
  },
  dpTutorialPolicy: {
    title:
      'Windows Autopilot device preparation user-driven Microsoft Entra join: Create a Windows Autopilot device ' +
      'preparation policy',
    url: `${AUTOPILOT}/device-preparation/tutorial/user-driven/entra-join-autopilot-policy`,
  },
  intuneExportReports: {
    title: 'Export Intune reports using Graph APIs',
    url: 'https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis',
  },
  intunePolicyFaq: {
    title: 'Common questions and answers with device policies and profiles in Microsoft Intune',
    url: 'https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot',
  },
  graphAutopilotIdentity: {
    title: 'windowsAutopilotDeviceIdentity resource type (Microsoft Graph beta)',
    url: GRAPH_BETA('resources/intune-enrollment-windowsautopilotdeviceidentity'),
  },
  graphAutopilotSettings: {
    title: 'windowsAutopilotSettings resource type (Microsoft Graph beta)',
    url: GRAPH_BETA('resources/intune-enrollment-windowsautopilotsettings'),
  },
  graphAutopilotEvent: {
    title: 'deviceManagementAutopilotEvent resource type (Microsoft Graph beta)',
    url: GRAPH_BETA('resources/intune-troubleshooting-devicemanagementautopilotevent'),
  },
  graphEnrollmentTimeTarget: {
    title: 'enrollmentTimeDeviceMembershipTargetResult resource type (Microsoft Graph beta)',
    url: GRAPH_BETA('resources/intune-shared-enrollmenttimedevicemembershiptargetresult'),
  },
} as const satisfies Readonly<Record<string, LearnPage>>;

export function cite(page: LearnPage, section: string | null = null): Citation {
  return { page, section };
}

/** One line per citation: `Title › Section (address)`. Plain text; renderers escape it like any other string. */
export function citationText(c: Citation): string {
  return `${c.page.title}${c.section === null ? '' : ` › ${c.section}`} (${c.page.url})`;
}
