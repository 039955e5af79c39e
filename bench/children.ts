// The benchmark's child processes: the simulator (dist/sim/main.js) and one app worker per measured case, each in
// its own process so the app's peak RSS and CPU are its own. Every child is tracked so an error or Ctrl-C in the
// orchestrator stops exactly the processes it started.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SIM_MAIN = path.resolve(HERE, '..', 'sim', 'main.js');

const children = new Set<ChildProcess>();

export function stopChildren(): void {
  for (const c of children) c.kill('SIGTERM');
}
process.once('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

/** Start the simulator with these arguments (`--port 0` is added); resolves with its URL once it listens. */
export async function startSim(args: readonly string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [SIM_MAIN, ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        child.stdout?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    // The simulator prints tenant ids, never tokens; its first line is safe to quote.
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before listening: ${out}`)));
  });
  return { url, child };
}

export async function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** Run a benchmark worker script (dist/bench/<script>) to completion; --expose-gc so it can collect between runs. */
export async function runWorker(script: string, args: string[]): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', path.resolve(HERE, script), ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  children.delete(child);
  if (code !== 0) throw new Error(`benchmark worker ${script} ${args.join(' ')} failed with exit code ${code}`);
}
