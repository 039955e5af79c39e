import type { TableClient } from '@azure/data-tables';

import { readTenantRows } from '../adapters/tables/tenant-table.js';
import { tableClient } from '../adapters/tables/table-helpers.js';
import { type AppConfig, type Deployment, loadDeploymentWithTable, type TenantRow } from '../config/index.js';
import { tableConnectionOf } from './container.js';
import type { Fleet } from './fleet.js';

// Where a host's fleet comes from, and when it is read again. With TENANTS (an app setting) the list changes only
// with a restart, as every setting does. With the tenants table, a tenant added or removed should take effect
// without one: the table is read again at most every `refreshMs`, and when its rows changed a new fleet replaces
// the old; the old one is disposed after `retireAfterMs`, once invocations that still hold it are over.

export interface Loaded {
  readonly deployment: Deployment;
  /** What the list was read from, to tell whether it changed (null: it never changes while the host runs). */
  readonly stamp: string | null;
}

export interface FleetSourceOptions {
  readonly load: () => Promise<Loaded>;
  readonly build: (deployment: Deployment) => Promise<Fleet>;
  readonly now?: () => number;
  readonly refreshMs?: number;
  readonly retireAfterMs?: number;
  readonly retire?: (dispose: () => void, afterMs: number) => void;
}

/** 35 minutes: longer than the host's functionTimeout (30 min, host.json), so no invocation still holds it. */
const RETIRE_AFTER_MS = 35 * 60_000;

export function fleetSource(opts: FleetSourceOptions): () => Promise<Fleet> {
  const now = opts.now ?? Date.now;
  const refreshMs = opts.refreshMs ?? 5 * 60_000;
  const retire =
    opts.retire ??
    ((dispose: () => void, afterMs: number) => {
      setTimeout(dispose, afterMs).unref();
    });
  let current: { fleet: Promise<Fleet>; stamp: string | null; checkedAt: number } | null = null;
  let checking: Promise<Fleet> | null = null;

  const fresh = async (): Promise<Fleet> => {
    const loaded = await opts.load();
    const previous = current;
    if (previous !== null && loaded.stamp === previous.stamp) {
      previous.checkedAt = now();
      return previous.fleet;
    }
    const fleet = opts.build(loaded.deployment);
    current = { fleet, stamp: loaded.stamp, checkedAt: now() };
    try {
      await fleet;
    } catch (err) {
      current = previous; // keep serving what worked; try again next time
      throw err;
    }
    if (previous !== null)
      retire(
        () => void previous.fleet.then((f) => f.dispose()).catch(() => undefined),
        opts.retireAfterMs ?? RETIRE_AFTER_MS,
      );
    return fleet;
  };

  return () => {
    if (current !== null && (current.stamp === null || now() - current.checkedAt < refreshMs)) return current.fleet;
    // One read at a time; a failed re-read keeps the fleet that worked (a table briefly unreachable).
    checking ??= fresh()
      .catch((err: unknown) => {
        if (current !== null) return current.fleet;
        throw err;
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  };
}

/** The deployment from the environment, its tenants from TENANTS or the tenants table. */
export async function loadFromEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<Loaded> {
  let stamp: string | null = null;
  const deployment = await loadDeploymentWithTable(env, async (base) => {
    const rows = await readTenantRows(tenantsTableClient(base));
    stamp = JSON.stringify(rows);
    return rows;
  });
  return { deployment, stamp };
}

/** The deployment's tenants table, `<TABLE_PREFIX>Tenants`, on the deployment's own storage. */
export function tenantsTableClient(base: AppConfig): TableClient {
  const conn = tableConnectionOf(base);
  if (conn === null)
    throw new Error(
      'TENANTS_SOURCE=table needs Table Storage: set STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT',
    );
  return tableClient(conn, `${base.env.TABLE_PREFIX}Tenants`);
}

export type { TenantRow };
