import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// End-to-end tests spawn the built CLI (dist/), so `npm test` on a fresh clone builds first.
export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
