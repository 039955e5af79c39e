import type {
  DevicePrepDeployment,
  DevicePrepItemStatus,
  ReportExportFailure,
  ReportExports,
} from '../../core/model/index.js';
import { GraphError, type AutopilotReader, type ReadOptions } from '../../ports/index.js';

// The compliance sweep's device-preparation report exports. Unlike a list read, a failed export does not abort the
// sweep: it would cost every other sweep-only check of the day for one report. The failure is kept (its kind and
// HTTP status only: an error text may echo the export's pre-signed download URL) and becomes the
// DP_REPORT_EXPORT_FAILED finding; the checks that read that export are marked incomplete, so they are neither
// opened nor resolved in this run. Errors that are not Graph failures (bugs) still abort.

export interface DevicePrepExports {
  readonly deployments: DevicePrepDeployment[];
  readonly items: DevicePrepItemStatus[];
  /** The deployment report was read in full. */
  readonly deploymentsComplete: boolean;
  /** Both detail reports (apps and scripts) were read in full. */
  readonly itemsComplete: boolean;
  readonly reportExports: ReportExports;
}

export const DEVICE_PREP_REPORT_NAMES = {
  deployments: 'AutopilotV2DeploymentStatus',
  apps: 'AutopilotV2DeploymentStatusDetailedAppInfo',
  scripts: 'AutopilotV2DeploymentStatusDetailedScriptInfo',
} as const;

const NOT_READ: DevicePrepExports = {
  deployments: [],
  items: [],
  deploymentsComplete: false,
  itemsComplete: false,
  reportExports: { attempted: false, failures: [] },
};

/** Read the three exports side by side when `wanted` (a sweep with device-preparation groups configured). */
export async function readDevicePrepExports(
  autopilot: AutopilotReader,
  wanted: boolean,
  read: ReadOptions = {},
): Promise<DevicePrepExports> {
  if (!wanted) return NOT_READ;
  const [deployments, apps, scripts] = await Promise.allSettled([
    autopilot.exportDevicePrepDeployments(read),
    autopilot.exportDevicePrepAppStatus(read),
    autopilot.exportDevicePrepScriptStatus(read),
  ]);
  const failures: ReportExportFailure[] = [];
  const settle = <T>(r: PromiseSettledResult<T[]>, reportName: string): T[] | null => {
    if (r.status === 'fulfilled') return r.value;
    if (!(r.reason instanceof GraphError)) throw r.reason;
    failures.push({ reportName, kind: r.reason.kind, status: r.reason.status });
    return null;
  };
  const d = settle(deployments, DEVICE_PREP_REPORT_NAMES.deployments);
  const a = settle(apps, DEVICE_PREP_REPORT_NAMES.apps);
  const s = settle(scripts, DEVICE_PREP_REPORT_NAMES.scripts);
  return {
    deployments: d ?? [],
    items: [...(a ?? []), ...(s ?? [])],
    deploymentsComplete: d !== null,
    itemsComplete: a !== null && s !== null,
    reportExports: { attempted: true, failures },
  };
}
