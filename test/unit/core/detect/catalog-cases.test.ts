import { describe, expect, it } from 'vitest';
import { CATALOG, catalogEntry } from '../../../../shared/core/catalog/catalog.js';
import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import { NOW } from '../../../support/builders.js';
import { ALL_CASES, type Case } from './cases/index.js';

// One table for the whole catalog: every code has at least one case where it must fire and one where it must
// not. What each code rests on is its catalog entry's Microsoft Learn citation (catalog.test.ts checks them).

function run(c: Case) {
  return detectAll(c.snapshot, c.now ?? NOW, { ...defaultDetectorRules, ...c.rules }).findings;
}

describe('catalog cases (positive and negative per code)', () => {
  it.each(ALL_CASES.map((c) => [`${c.code} ${c.expect}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const hits = run(c).filter(
      (f) => f.code === c.code && (c.subjectKey === undefined || f.subject.key === c.subjectKey),
    );
    if (c.expect === 'absent') {
      expect(hits).toEqual([]);
      return;
    }
    expect(hits).toHaveLength(1);
    expect(hits[0]!.severity).toBe(c.severity ?? catalogEntry(c.code)!.severity);
  });

  it.each(CATALOG.map((e) => [e.code] as const))('%s has a positive and a negative case', (code) => {
    const cases = ALL_CASES.filter((c) => c.code === code);
    expect(cases.some((c) => c.expect === 'present')).toBe(true);
    expect(cases.some((c) => c.expect === 'absent')).toBe(true);
  });
});
