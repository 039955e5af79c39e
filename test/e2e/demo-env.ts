import { BUNDLED_DEVICE_PREP_GROUPS } from '../support/harness.js';

/**
 * The CLI's environment for a simulated tenant built on the bundled demo scenario, stored on Azurite: its
 * device-preparation group configured, enforce mode, and a blast radius the demo's few devices stay inside.
 */
export function demoTenantEnv(
  sim: { readonly url: string; readonly token: string },
  connectionString: string,
  tablePrefix: string,
): Record<string, string> {
  return {
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: sim.token,
    STORAGE_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: tablePrefix,
    DEVICE_PREP_GROUPS: JSON.stringify(BUNDLED_DEVICE_PREP_GROUPS['demo']),
    TENANT_NAME: 'e2e',
    REMEDIATION_MODE: 'enforce',
    BLAST_RADIUS_MAX_PERCENT: '50',
  };
}
