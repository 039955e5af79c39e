import { SnapshotTooLargeError, type Simulator } from '../sim/index.js';
import {
  checkSameTenant,
  claimDataDir,
  DataDirError,
  type DataDir,
  type Holder,
  readState,
  type TenantKey,
  type TenantState,
  wipe,
  writeState,
} from './data-dir.js';
import { terminalText } from './output/terminal.js';

// Table Storage when none is configured: Azurite keeping its tables in the data folder — started here when this
// process owns the folder, or the one a running `serve` started. Also keeps the simulated tenant and the app's clock
// there when the session ends (and whenever serve says so).

export interface LocalTables {
  /** Settings overlay pointing the app at these tables. */
  readonly env: Readonly<Record<string, string>>;
  /** What the last owner left (tenant, clock, snapshot); null when shared or never written. */
  readonly state: TenantState | null;
  /** The running serve this session shares the folder with, or null. */
  readonly shared: Holder | null;
  /** The folder, when this session owns it. */
  readonly owned: DataDir | null;
  /** Where the tables are, for people. */
  readonly description: string;
  /** Tell the other commands where this serve's simulated tenant answers and how its clock runs. */
  publish(extra: Pick<Holder, 'graph' | 'clock'>): void;
  /** Keep the tenant's state (clock, simulated tenant) in the folder. */
  save(clock: number, sim: Simulator | null): void;
  close(): Promise<void>;
}

export interface LocalTablesRequest {
  readonly command: string;
  /** The tenant this run is about; null for a command that only reads what is recorded (history). */
  readonly tenant: TenantKey | null;
  readonly fresh: boolean;
}

/** Table Storage is configured: the data folder's tables are not used. */
export function storageConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.STORAGE_CONNECTION_STRING || env.STORAGE_TABLE_ENDPOINT);
}

export function tenantKeyOf(env: Readonly<Record<string, string | undefined>>, scenario: string | null): TenantKey {
  if (scenario !== null) return { key: `sim:${scenario}`, label: `simulated tenant "${scenario}"` };
  const id = env.AZURE_TENANT_ID || env.GRAPH_BASE_URL || 'default';
  return { key: `graph:${id}`, label: `tenant ${id}` };
}

export async function startLocalTables(dir: DataDir, req: LocalTablesRequest): Promise<LocalTables> {
  // Loaded only here: Azurite is a development dependency, absent from a deployment (which configures storage).
  const { devConnectionString, startEmbeddedAzurite } = await import('../shared/adapters/tables/embedded-azurite.js');
  const me = req.tenant ?? { key: '', label: 'tenant recorded there' };
  const claim = claimDataDir(dir, { command: req.command, tenant: me }, { shareWithServe: req.command !== 'serve' });
  if (claim.kind === 'shared') {
    const holder = claim.holder;
    if (req.fresh)
      throw new DataDirError(
        `--fresh: \`autopilot-medic serve\` (pid ${holder.pid}) is using ${dir.root}: stop it first`,
      );
    if (req.tenant !== null) checkSameTenant(dir, holder.tenant, req.tenant);
    return {
      env: { STORAGE_CONNECTION_STRING: devConnectionString(holder.azuritePort ?? 0) },
      state: null,
      shared: holder,
      owned: null,
      description: `${dir.tables} (shared with serve, pid ${holder.pid})`,
      publish: () => undefined,
      save: () => undefined,
      close: () => Promise.resolve(),
    };
  }
  try {
    if (req.fresh) wipe(dir);
    const state = readState(dir);
    if (req.tenant !== null) checkSameTenant(dir, state?.tenant, req.tenant);
    const azurite = await startEmbeddedAzurite({ location: dir.tables });
    claim.update({ azuritePort: azurite.port });
    let warned = false;
    return {
      env: { STORAGE_CONNECTION_STRING: azurite.connectionString },
      state,
      shared: null,
      owned: dir,
      description: dir.tables,
      publish: (extra) => claim.update(extra),
      save(clock, sim) {
        if (req.tenant === null) return;
        let snapshot: unknown;
        try {
          snapshot = sim?.snapshot();
        } catch (err) {
          if (!(err instanceof SnapshotTooLargeError)) throw err;
          if (!warned)
            process.stderr.write(
              `${terminalText(`Note: ${err.message}: the next run starts the scenario anew (its history is kept).`)}\n`,
            );
          warned = true;
        }
        writeState(dir, { tenant: req.tenant, clock, ...(snapshot === undefined ? {} : { snapshot }) });
      },
      close: async () => {
        try {
          await azurite.stop();
        } finally {
          claim.release();
        }
      },
    };
  } catch (err) {
    claim.release();
    throw err;
  }
}
