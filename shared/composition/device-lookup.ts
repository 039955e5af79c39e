import type { DeviceLookupDeps } from '../app/devices/lookup-device.js';
import type { Container } from './container.js';

/** What the device lookup (CLI `device`, GET /api/devices/{key}) reads: Graph point reads and the stores. */
export function deviceLookupDeps(container: Container): DeviceLookupDeps {
  return {
    autopilot: container.graph.autopilot,
    directory: container.graph.directory,
    lookup: container.graph.lookup,
    findings: container.stores.findings,
    history: container.stores.history,
    devicePrepGroups: container.config.devicePrepGroups,
    portalUrl: container.config.alerts.portalUrl,
  };
}
