/**
 * The simulated tenant as it is now, written as a scenario: every resource with absolute times, group members and
 * owners, the sync state (a sync in progress resumes from its trigger time), pending imports, denials and options.
 * Loading it gives a tenant that answers Graph as this one does, so the CLI's embedded default can keep its tenant
 * between runs (a fix made by one `sweep` is still there for the next one to verify).
 *
 * Faults are not kept (they belong to a test, not to the tenant), and neither are the request log or export jobs.
 */
import type { SimEnv } from '../http/env.js';
import type { ScenarioObject } from './schema.js';

/** Beyond this many objects the snapshot is refused: a generated tenant of that size is not worth a file per run. */
export const SNAPSHOT_MAX_OBJECTS = 20_000;

export class SnapshotTooLargeError extends Error {
  constructor(readonly objects: number) {
    super(`the simulated tenant holds ${objects} objects, more than the ${SNAPSHOT_MAX_OBJECTS} a snapshot keeps`);
    this.name = 'SnapshotTooLargeError';
  }
}

export function snapshotScenario(env: SimEnv, name: string): ScenarioObject {
  const t = env.tenant;
  t.tick(env.clock.nowMs());
  const objects =
    t.identities.count() +
    t.events.count() +
    t.devices.count() +
    t.managedDevices.count() +
    t.users.count() +
    t.servicePrincipals.count() +
    t.reportRows.length;
  if (objects > SNAPSHOT_MAX_OBJECTS) throw new SnapshotTooLargeError(objects);
  const s = env.settings;
  return {
    name,
    description: `Snapshot of the simulated tenant "${name}" taken at ${env.clock.iso()}.`,
    options: {
      token: s.token,
      roles: s.roles,
      latencyMs: s.latencyMs,
      writeLimit: env.limiter.current,
      syncDurationMs: s.syncDurationMs,
      syncOutcome: t.sync.nextOutcome,
      exportJob: s.exportJob,
    },
    windowsAutopilotSettings: t.sync.settings,
    windowsAutopilotDeviceIdentities: t.identities.values(),
    autopilotEvents: t.events.values(),
    pendingImports: t.pendingImports,
    importedDevices: t.importedDevices.values(),
    groups: t.groups.values().map((g) => ({ ...g, members: t.membersOf(g.id), owners: t.ownersOf(g.id) })),
    configurationPolicies: t.configurationPolicies.values(),
    devices: t.devices.values(),
    users: t.users.values(),
    servicePrincipals: t.servicePrincipals.values(),
    managedDevices: t.managedDevices.values(),
    deviceprepReport: t.reportRows,
    deviceprepAppReport: t.reportAppRows,
    deviceprepScriptReport: t.reportScriptRows,
    denials: t.denials,
    ...(t.planted.source === 'none' ? {} : { planted: t.planted.items }),
  };
}
