import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { envSchema } from '../../../shared/config/index.js';
import { CATALOG } from '../../../shared/core/catalog/catalog.js';
import {
  fillSettings,
  renderRemediationTable,
  SYNC_DEFAULTS,
  type SettingDefaults,
} from '../../../shared/core/policy/index.js';

// The README's "What it fixes and when" section is generated from the catalog and the remediation rules
// (shared/core/policy/remediation-rules.ts), with each setting's default taken from the configuration schema.
// This test fails when README.md is stale. To regenerate it:
//   UPDATE_README=1 npx vitest run test/unit/docs/remediation-table.test.ts

const README = resolve(import.meta.dirname, '../../../README.md');
const BEGIN = '<!-- remediation-table:begin';
const END = '<!-- remediation-table:end -->';

/** A setting's default as the README shows it: '' for none (unset, empty list or map), 'all' for a full list. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : 'all';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? '' : JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every configuration key with its default. */
function settingDefaults(): SettingDefaults {
  const out: Record<string, string> = {};
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const parsed = schema.safeParse(undefined);
    out[key] = shown(parsed.success ? parsed.data : undefined);
  }
  return out;
}

function section(readme: string): { start: number; end: number; body: string } {
  const open = readme.indexOf(BEGIN);
  const close = readme.indexOf(END);
  if (open < 0 || close < open) throw new Error(`README.md lacks the ${BEGIN} … ${END} markers`);
  const start = readme.indexOf('-->', open) + 3;
  return { start, end: close, body: readme.slice(start, close).trim() };
}

describe('README: What it fixes and when', () => {
  const rendered = renderRemediationTable(CATALOG, settingDefaults());

  it('is the rendering of the catalog and the remediation rules', () => {
    const readme = readFileSync(README, 'utf8');
    const s = section(readme);
    if (process.env.UPDATE_README === '1' && s.body !== rendered) {
      writeFileSync(README, `${readme.slice(0, s.start)}\n${rendered}\n${readme.slice(s.end)}`);
      return;
    }
    expect(
      s.body,
      'README.md is stale: run UPDATE_README=1 npx vitest run test/unit/docs/remediation-table.test.ts',
    ).toBe(rendered);
  });

  it('has one row per remediable catalog entry, with its gates and both sync caps at their defaults', () => {
    const remediable = CATALOG.filter((e) => e.remediation !== null);
    const rows = rendered.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => /^\| `([A-Z0-9_]+)`/.exec(r)?.[1]).sort()).toEqual(remediable.map((e) => e.code).sort());
    const row = (code: string) => rows.find((r) => r.startsWith(`| \`${code}\``)) ?? '';
    for (const code of ['AP_IMPORT_NOT_VISIBLE', 'AP_SYNC_FAILED', 'AP_PROFILE_OUT_OF_SYNC']) {
      expect(row(code)).toContain(`\`SYNC_MAX_PER_FINDING_PER_DAY\` = ${SYNC_DEFAULTS.maxPerFindingPerDay}`);
      expect(row(code)).toContain(`\`SYNC_MAX_PER_DAY\` = ${SYNC_DEFAULTS.maxPerDay}`);
    }
    expect(row('AP_PROFILE_OUT_OF_SYNC')).toContain('`SYNC_ON_PROFILE_OUT_OF_SYNC` = true');
    expect(row('AP_IMPORT_NOT_VISIBLE')).not.toContain('SYNC_ON_PROFILE_OUT_OF_SYNC');
    expect(row('AP_USERLESS_BLOCKED')).toMatch(/`userlessEnrollmentStatus` = `blocked`.*0x80180014/);
  });

  it('states the blast-radius limits once, with all three settings at their defaults', () => {
    const line = rendered.split('\n').find((l) => l.startsWith('Blast radius:')) ?? '';
    expect(line).toContain('`BLAST_RADIUS_MAX_DEVICES` = 50 targets');
    expect(line).toContain(
      '`BLAST_RADIUS_MAX_PERCENT` = 10 % of the fleet and more than `BLAST_RADIUS_MIN_DEVICES` = 5 targets',
    );
    expect(line).toMatch(/only the first limit applies/);
  });

  it('names only settings the configuration has', () => {
    expect(() => fillSettings('{NO_SUCH_SETTING}', settingDefaults())).toThrow(/NO_SUCH_SETTING/);
  });
});
