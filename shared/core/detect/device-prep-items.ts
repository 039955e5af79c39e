import { CODES, type FindingCode } from '../catalog/codes.js';
import type { DevicePrepDeployment, DevicePrepItemStatus, Finding, TenantSnapshot } from '../model/index.js';
import { latestDeploymentsByKey } from './device-prep-deployments.js';
import { deviceSubject, makeFinding } from './finding.js';
import { lookup, normId } from './lookup.js';
import type { DetectorRules } from './rules.js';

// The Apps and Scripts of a device-preparation deployment, from the two detail exports. What they mean is in
// Microsoft Learn "Windows Autopilot device preparation reporting and monitoring" › Apps / Scripts
// (https://learn.microsoft.com/autopilot/device-preparation/reporting-monitoring): Skipped "usually indicates that the
// application was selected in the Windows Autopilot device preparation policy, but wasn't assigned to the device group
// specified in the … policy" (scripts likewise). "Windows Autopilot device preparation - known issues"
// (https://learn.microsoft.com/autopilot/device-preparation/known-issues) adds two more:
//  - "Win32 and WinGet applications are skipped when Managed installer policy is enabled for the tenant": those apps
//    show Skipped and install only once the device reaches the desktop;
//  - "Device is stuck at 100% during the out-of-box experience (OOBE)": the user has to restart the device. In the data
//    that is a deployment still In progress long after it started while none of its apps and scripts is.

export const DEVICE_PREP_ITEM_CODES: readonly FindingCode[] = [
  CODES.DP_APP_SKIPPED,
  CODES.DP_SCRIPT_SKIPPED,
  CODES.DP_DEPLOYMENT_STUCK_AT_100,
];

/** App types the managed installer known issue names: Win32, WinGet (Microsoft Store) and Enterprise App Catalog apps. */
const MANAGED_INSTALLER_TYPES = /win32|winget|store|catalog/i;
/** Names in evidence: enough to act on, bounded whatever the tenant holds. */
const MAX_NAMES = 10;
const MAX_NAME_CHARS = 80;

const TERMINAL = new Set<DevicePrepItemStatus['status']>(['installed', 'skipped', 'failed']);

function itemsByDevice(items: readonly DevicePrepItemStatus[]): Map<string, DevicePrepItemStatus[]> {
  const out = new Map<string, DevicePrepItemStatus[]>();
  for (const item of items) {
    const id = normId(item.intuneDeviceId);
    if (id === null) continue;
    const list = out.get(id) ?? [];
    list.push(item);
    out.set(id, list);
  }
  return out;
}

function nameList(items: readonly DevicePrepItemStatus[]): string {
  const names = items.map((i) => (i.name ?? i.itemId ?? 'unnamed').slice(0, MAX_NAME_CHARS)).sort();
  const shown = names.slice(0, MAX_NAMES).join(', ');
  return names.length > MAX_NAMES ? `${shown} (+${names.length - MAX_NAMES} more)` : shown;
}

function skippedFinding(
  code: FindingCode,
  key: string,
  row: DevicePrepDeployment,
  skipped: readonly DevicePrepItemStatus[],
): Finding {
  const ids = skipped.map((i) => (i.itemId ?? i.name ?? '').toLowerCase()).sort();
  const managedInstaller = skipped.some((i) => MANAGED_INSTALLER_TYPES.test(i.appType ?? ''));
  return makeFinding({
    code,
    subject: deviceSubject(key, row.serialNumber, null),
    evidence: {
      serialNumber: row.serialNumber,
      managedDeviceId: normId(row.intuneDeviceId),
      deviceName: row.deviceName,
      deploymentStatus: row.status,
      skipped: skipped.length,
      names: nameList(skipped),
      ...(code === CODES.DP_APP_SKIPPED
        ? {
            appTypes: [...new Set(skipped.map((i) => i.appType ?? 'unknown'))].sort().join(', '),
            managedInstallerPossible: managedInstaller,
          }
        : {}),
    },
    defining: { items: ids.join(',') },
  });
}

export function detectDevicePrepItems(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const items = snapshot.devicePrepItems ?? [];
  if (items.length === 0 && !snapshot.complete.devicePrepItems) return [];
  const L = lookup(snapshot);
  const byDevice = itemsByDevice(items);
  const out: Finding[] = [];
  for (const [key, row] of latestDeploymentsByKey(L, snapshot.devicePrepDeployments)) {
    const id = normId(row.intuneDeviceId);
    const own = id === null ? [] : (byDevice.get(id) ?? []);
    const apps = own.filter((i) => i.kind === 'app' && i.status === 'skipped');
    const scripts = own.filter((i) => i.kind === 'script' && i.status === 'skipped');
    if (apps.length > 0) out.push(skippedFinding(CODES.DP_APP_SKIPPED, key, row, apps));
    if (scripts.length > 0) out.push(skippedFinding(CODES.DP_SCRIPT_SKIPPED, key, row, scripts));
    // "Nothing left to install" needs both detail exports in full; a status the adapter could not read counts as busy.
    const quiet = snapshot.complete.devicePrepItems === true && id !== null && own.every((i) => TERMINAL.has(i.status));
    if (
      row.status === 'inProgress' &&
      row.enrolledAt !== null &&
      now - row.enrolledAt > rules.deploymentStuckMs &&
      quiet
    ) {
      out.push(
        makeFinding({
          code: CODES.DP_DEPLOYMENT_STUCK_AT_100,
          subject: deviceSubject(key, row.serialNumber, null),
          evidence: {
            serialNumber: row.serialNumber,
            managedDeviceId: id,
            deviceName: row.deviceName,
            enrolledAt: row.enrolledAt,
            hoursInProgress: Math.floor((now - row.enrolledAt) / 3_600_000),
            apps: own.filter((i) => i.kind === 'app').length,
            scripts: own.filter((i) => i.kind === 'script').length,
          },
          defining: { enrolledAt: row.enrolledAt },
        }),
      );
    }
  }
  return out;
}
