import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { envSchema } from '../../../shared/config/index.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration setting', () => {
    const missing = Object.keys(envSchema.shape).filter((key) => !readme.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('keeps the two fresh-machine commands', () => {
    expect(readme).toContain('npm ci && npm run sweep');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm ci && npm start');
  });
});
