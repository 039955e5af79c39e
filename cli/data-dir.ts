import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { UsageError } from './args.js';

// The data folder (DATA_DIR, default ./.autopilot-medic/): where the CLI keeps what a deployment keeps in Azure when
// no Table Storage is configured — the tables (Azurite's on-disk mode), and for the embedded default the simulated
// tenant itself — so one run's fixes are there for the next to verify and `history` shows what was done.
//
// One process owns the folder at a time (Azurite must not run twice on one location): a lock file names it. While
// `serve` owns it, the other commands use serve's Azurite and simulated tenant instead of starting their own; while
// another command owns it, they stop with a clear message. A lock whose process has gone is taken over.

export const DEFAULT_DATA_DIR = '.autopilot-medic';

export interface DataDir {
  readonly root: string;
  readonly tables: string;
  /** TenantState: which tenant the folder holds, the app's clock, and the simulated tenant's snapshot. */
  readonly stateFile: string;
  readonly lockFile: string;
}

export function dataDirOf(env: Readonly<Record<string, string | undefined>>): DataDir {
  const root = resolve(env.DATA_DIR || DEFAULT_DATA_DIR);
  return {
    root,
    tables: join(root, 'tables'),
    stateFile: join(root, 'tenant.json'),
    lockFile: join(root, 'lock.json'),
  };
}

/** Which tenant a folder's history belongs to: one folder never mixes two tenants' records. */
export interface TenantKey {
  /** `sim:<scenario>` for the embedded default, `graph:<tenant or endpoint>` for a configured tenant. */
  readonly key: string;
  /** For people: `simulated tenant "demo"`. */
  readonly label: string;
}

export interface TenantState {
  readonly tenant: TenantKey;
  /** The app's clock when the state was saved: a later run resumes from here, so time never runs backwards. */
  readonly clock: number;
  /** The simulated tenant as a scenario (embedded default only). */
  readonly snapshot?: unknown;
}

/** The process that owns the folder, as its lock file says. */
export interface Holder {
  readonly pid: number;
  readonly command: string;
  readonly tenant: TenantKey;
  /** serve only: where its services answer, so the other commands share them. */
  readonly azuritePort?: number;
  readonly graph?: { readonly url: string; readonly token: string };
  /** serve only: its clock (app time = appStart + (real time - realStart) × speed). */
  readonly clock?: { readonly realStart: number; readonly appStart: number; readonly speed: number };
}

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export function readState(dir: DataDir): TenantState | null {
  let text: string;
  try {
    text = readFileSync(dir.stateFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const value = parseJson(text);
  if (!isState(value))
    throw new DataDirError(`${dir.stateFile} cannot be read (not a state this version wrote): --fresh starts over`);
  return value;
}

/** Written whole or not at all (a new file renamed over the old one). */
export function writeState(dir: DataDir, state: TenantState): void {
  mkdirSync(dir.root, { recursive: true });
  const tmp = `${dir.stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, dir.stateFile);
}

/** --fresh: forget the tables and the tenant (the caller owns the folder). */
export function wipe(dir: DataDir): void {
  rmSync(dir.tables, { recursive: true, force: true });
  rmSync(dir.stateFile, { force: true });
}

export type Claim =
  | { readonly kind: 'owner'; update(extra: Partial<Omit<Holder, 'pid' | 'command'>>): void; release(): void }
  | { readonly kind: 'shared'; readonly holder: Holder };

/**
 * Own the folder, or share it with the `serve` that owns it (`shareWithServe`). Another live owner is an error
 * naming it; a lock left by a process that has gone is taken over.
 */
export function claimDataDir(
  dir: DataDir,
  me: { readonly command: string; readonly tenant: TenantKey },
  opts: { readonly shareWithServe: boolean },
): Claim {
  mkdirSync(dir.root, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let holder: Holder = { pid: process.pid, command: me.command, tenant: me.tenant };
    if (createExclusive(dir.lockFile, holder)) {
      return {
        kind: 'owner',
        update(extra) {
          holder = { ...holder, ...extra };
          const tmp = `${dir.lockFile}.${process.pid}.tmp`;
          writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
          renameSync(tmp, dir.lockFile);
        },
        release() {
          const current = readHolder(dir);
          if (current?.pid === process.pid) rmSync(dir.lockFile, { force: true });
        },
      };
    }
    const current = readHolder(dir);
    if (current === null || !alive(current.pid)) {
      // Left behind by a process that has gone (or unreadable): take it over.
      rmSync(dir.lockFile, { force: true });
      continue;
    }
    if (current.command === 'serve' && opts.shareWithServe && current.azuritePort !== undefined)
      return { kind: 'shared', holder: current };
    throw new DataDirError(
      `the data folder ${dir.root} is in use by \`autopilot-medic ${current.command}\` (pid ${current.pid}): ` +
        (current.command === 'serve'
          ? 'stop it first, or use its HTTP API'
          : 'run again when it has finished, or set DATA_DIR to another folder'),
    );
  }
  throw new DataDirError(`the data folder ${dir.root} could not be locked: another process keeps taking it`);
}

/** The tenant a run is about must be the one the folder holds: one folder never mixes two tenants' records. */
export function checkSameTenant(dir: DataDir, held: TenantKey | undefined, mine: TenantKey): void {
  if (held === undefined || held.key === mine.key) return;
  // A choice to make (start over, or another folder): a usage error, exit 2.
  throw new UsageError(
    `the data folder ${dir.root} holds the history of the ${held.label}, and this run is against the ${mine.label}: ` +
      'run with --fresh to start over, or set DATA_DIR to another folder',
  );
}

/** Create the lock file with its content in one step (a hard link of a complete file fails if the lock exists). */
function createExclusive(lockFile: string, holder: Holder): boolean {
  const tmp = `${lockFile}.${process.pid}.new`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(tmp, lockFile);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function readHolder(dir: DataDir): Holder | null {
  try {
    const v = parseJson(readFileSync(dir.lockFile, 'utf8'));
    return isHolder(v) ? v : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isKey(v: unknown): v is TenantKey {
  return typeof v === 'object' && v !== null && typeof (v as TenantKey).key === 'string';
}

function isState(v: unknown): v is TenantState {
  return (
    typeof v === 'object' &&
    v !== null &&
    isKey((v as TenantState).tenant) &&
    typeof (v as TenantState).clock === 'number'
  );
}

function isHolder(v: unknown): v is Holder {
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger((v as Holder).pid) &&
    typeof (v as Holder).command === 'string' &&
    isKey((v as Holder).tenant)
  );
}
