import { CODES } from './codes.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';

// Classic Autopilot deployment events (the deployment report). The report has known artefacts ("Windows
// Autopilot - known issues", https://learn.microsoft.com/autopilot/known-issues): a
// 4-hour automatic "Failed", rows that stay Failed after a retry, and long deployments that never update.
// These entries are worded so an alert never blames a device the report alone calls failed.

export const DEPLOYMENT_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_DEPLOYMENT_FAILED,
    title: 'Autopilot deployment failed',
    severity: 'error',
    signal:
      'Latest deployment event of the device has deploymentState = failure with an error code, a failed ESP phase or a ' +
      'reported duration under 4 hours, and Intune shows no check-in after the deployment ended. A later event for ' +
      'the same device supersedes it.',
    fix:
      'Open the deployment in Devices › Monitor › Windows Autopilot deployment status and download the diagnostics ' +
      'Intune collected (kept 28 days), or collect them on the device (CTRL+SHIFT+D on the ESP error page, or ' +
      '`mdmdiagnosticstool.exe -area Autopilot;TPM -cab c:\\autopilot.cab`). If the ESP timed out, raise "Show an error ' +
      'when installation takes longer than specified number of minutes" (default 60) in the ESP profile and keep each ' +
      "Win32 app's install-time limit inside it; don't target LOB (MSI) and Win32 apps at the same ESP-tracked device. " +
      'Then let the user choose Try again, or reset the device and redeploy.',
    remediation: null,
    docs: [
      SECTIONS.espOptions,
      SECTIONS.win32Time,
      SECTIONS.anotherInstall,
      SECTIONS.reportIncorrectFailure,
      SECTIONS.reportFailureOnSuccess,
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_DEPLOYMENT_FAILED_UNCONFIRMED,
    title: 'Deployment report shows failure that Intune does not confirm',
    severity: 'info',
    signal:
      'Latest event has deploymentState = failure with no error code, no failed phase and no real duration (Graph ' +
      "sends PT0S) — the report's automatic In progress → Failed after 4 hours — and the device enrolled and checked in " +
      'since the deployment started, or its Intune record was not read in this run.',
    fix:
      'Probably a reporting artefact: the report marks a deployment Failed when it hears nothing for 4 hours (for ' +
      'example the device was switched off before it reported), and deployments longer than 1 hour may never update. ' +
      'Check the device in Devices › Windows: if it is enrolled, checking in and its user has a desktop, nothing needs ' +
      'doing. If not, treat it as a failed deployment and collect diagnostics.',
    remediation: null,
    docs: [SECTIONS.reportIncorrectFailure, SECTIONS.reportMissingDevice],
    cadence: 'poll',
  },
  {
    code: CODES.AP_DEPLOYMENT_NO_RESULT,
    title: 'Deployment never reported a result (the report gave up after 4 hours)',
    severity: 'warning',
    signal:
      'Latest event has deploymentState = failure with no error code, no failed phase and no real duration (PT0S): ' +
      "the report's automatic failure after 4 hours without a status. Intune corroborates that nothing came of it: the " +
      'device has no Intune record in a full read, or has not checked in since the deployment started.',
    fix:
      'The device sent no success or failure: it may have been switched off, lost its network, or be stuck in OOBE. ' +
      'There is no error code to look up. Find the device: if it sits at the Enrollment Status Page, collect ' +
      'diagnostics (CTRL+SHIFT+D, or `mdmdiagnosticstool.exe -area Autopilot;TPM -cab c:\\autopilot.cab`) and reset it; ' +
      'if it was switched off, start it on a working network and let the deployment finish.',
    remediation: null,
    docs: [SECTIONS.reportIncorrectFailure, SECTIONS.autopilotEventResource],
    cadence: 'poll',
  },
  {
    code: CODES.AP_DEPLOYMENT_RECOVERED,
    title: 'Deployment failed, then the device got through (recovered after failure)',
    severity: 'info',
    signal:
      'Latest event has deploymentState = failure reported by the device, and its Intune record checked in after the ' +
      'deployment ended: Try again or Continue anyway succeeded, and the report leaves the first attempt marked Failed.',
    fix:
      'Nothing needs doing for the device if its user is working. The failed attempt still shows in the deployment ' +
      'report (it is not updated after Try again or Continue anyway); look at its error if the same failure keeps ' +
      'recurring on other devices.',
    remediation: null,
    docs: [SECTIONS.reportFailureOnSuccess, SECTIONS.autopilotEventResource],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT,
    title: 'Autopilot deployment finished only after the ESP timed out',
    severity: 'warning',
    signal: 'Latest event has deploymentState, deviceSetupStatus or accountSetupStatus = successWithTimeout.',
    fix:
      'The Enrollment Status Page hit its time limit (default 60 minutes) before everything it tracks had installed, ' +
      'and the user was let through. In the ESP profile assigned to the device raise "Show an error when installation ' +
      'takes longer than specified number of minutes", keep every Win32 app\'s own install-time limit within it, and ' +
      "keep only the apps the user needs at first sign-in as blocking apps. Check the device's app install status for " +
      'the apps that were still running.',
    remediation: null,
    docs: [SECTIONS.espOptions, SECTIONS.win32Time],
    cadence: 'poll',
  },
  {
    code: CODES.AP_DEPLOYMENT_STUCK,
    title: 'Autopilot deployment still in progress long after it started',
    severity: 'warning',
    signal: 'Latest event still has deploymentState = inProgress more than DEPLOYMENT_STUCK_HOURS after it started.',
    fix:
      'Look at the device: it may be waiting at the ESP on a hung app install ("Another installation is in progress" ' +
      'comes from mixing LOB and Win32 apps) or it was switched off mid-deployment. Deployments longer than 1 hour may ' +
      'only show an incomplete status in the report, and the report fails them automatically after 4 hours — if the ' +
      'device is enrolled and its user is working, nothing needs doing. Otherwise collect diagnostics (CTRL+SHIFT+D on ' +
      'the device) and reset it.',
    remediation: null,
    docs: [SECTIONS.reportIncorrectFailure, SECTIONS.reportMissingDevice, SECTIONS.anotherInstall],
    cadence: 'poll',
  },
];
