import { spawn, type ChildProcess } from 'node:child_process';

import { CLI, ROOT } from '../e2e/cli-process.js';

export interface Served {
  readonly child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Kill -9 if it is still running (a test that failed before its Ctrl-C). */
  kill(): void;
}

/** `autopilot-medic serve` as a process (the built CLI) on a free port with its own data folder. */
export function startServe(dataDir: string, args: readonly string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--fresh', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async waitFor(pattern, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(out);
        if (m) return m;
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${pattern} in serve output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** The dashboard's address as serve prints it. */
export const DASHBOARD_LINE = /Dashboard +(http:\/\/127\.0\.0\.1:\d+\/api\/dashboard\?refresh=\d+)/;
