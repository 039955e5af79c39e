import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { AzuriteStartError, azuriteTableMain } from '../../../shared/adapters/tables/embedded-azurite.js';

// Issue 15: Azurite brought some 300 packages (express, sequelize, mysql2, tedious…) into the deployed app. It is a
// development dependency now, loaded only by the CLI's embedded default. Measured with `npm ci --omit=dev
// --ignore-scripts`: 247 MB / 410 package paths before, 84 MB / 108 after (README, "Deploy").

const root = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean }>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('the production package carries no Azurite', () => {
  it('azurite is a development dependency, and the lock file marks it dev', () => {
    expect(pkg.dependencies).not.toHaveProperty('azurite');
    expect(pkg.devDependencies).toHaveProperty('azurite');
    expect(lock.packages['node_modules/azurite']?.dev).toBe(true);
  });

  it('no production module imports the embedded Azurite statically (only the CLI data-folder tables, on demand)', () => {
    const offenders = ['shared', 'functions', 'cli']
      .flatMap((d) => sources(join(root, d)))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /^import[^;]*from '[^']*embedded-azurite\.js'/m.test(text) || /from 'azurite/.test(text);
      });
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
    expect(readFileSync(join(root, 'cli/local-tables.ts'), 'utf8')).toContain(
      "await import('../shared/adapters/tables/embedded-azurite.js')",
    );
  });

  it('without Azurite installed, the embedded default says what to do instead of a module error', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => azuriteTableMain(missing)).toThrow(AzuriteStartError);
    expect(() => azuriteTableMain(missing)).toThrow(/development dependency.*npm ci.*STORAGE_CONNECTION_STRING/);
    expect(azuriteTableMain()).toMatch(/azurite[/\\]dist[/\\]src[/\\]table[/\\]main\.js$/);
  });
});
