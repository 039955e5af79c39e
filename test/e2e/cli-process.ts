import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = resolve(ROOT, 'dist/cli/main.js');

export interface CliRun {
  readonly code: number | null;
  /** The signal that ended the process (SIGKILL when a test killed it), else null. */
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI as a separate process with exactly the given environment (plus PATH/HOME). Without a DATA_DIR
 * in `env`, each run gets a data folder of its own (removed afterwards): runs share one only when a test says so.
 */
export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliRun> {
  return startCli(args, env, timeoutMs).done;
}

/** The same, returning the process too, so a test can kill it mid-run (kill -9: no cleanup of any kind runs). */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): { readonly done: Promise<CliRun>; kill(): void } {
  let kill: () => void = () => undefined;
  const ownDataDir = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'apm-cli-')) : null;
  const done = new Promise<CliRun>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...(ownDataDir === null ? {} : { DATA_DIR: ownDataDir }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    kill = () => void child.kill('SIGKILL');
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  const cleaned = done.finally(() => {
    if (ownDataDir !== null) rmSync(ownDataDir, { recursive: true, force: true });
  });
  return { done: cleaned, kill: () => kill() };
}
