import { describe, expect, it } from 'vitest';
import { CATALOG, CODES, catalogEntry } from '../../../shared/core/catalog/catalog.js';
import { COVERAGE, DETECTORS } from '../../../shared/core/detect/index.js';
import { ACTIONS, SEVERITIES } from '../../../shared/core/model/index.js';

// The catalog is the single source of titles, fixes and documentation. These checks keep it
// complete and consistent with what the detectors can emit.

describe('finding catalog', () => {
  it('has unique codes, and exactly one entry per declared code', () => {
    const codes = CATALOG.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.values(CODES).sort());
  });

  it.each(CATALOG.map((e) => [e.code, e] as const))('%s is complete', (_code, e) => {
    expect(e.code).toMatch(/^(AP|DP)_[A-Z0-9_]+$/);
    expect(e.title.length).toBeGreaterThan(10);
    expect(e.signal.length).toBeGreaterThan(10);
    expect(e.fix.length).toBeGreaterThan(40);
    // Every entry cites Microsoft's public documentation: a Learn page, and a section where the page has several.
    expect(e.docs.length).toBeGreaterThan(0);
    for (const c of e.docs) {
      expect(c.page.url).toMatch(/^https:\/\/learn\.microsoft\.com\/[a-z0-9/-]+(\?view=graph-rest-beta)?$/);
      expect(c.page.title.length).toBeGreaterThan(5);
      if (c.section !== null) expect(c.section.trim().length).toBeGreaterThan(2);
    }
    expect(SEVERITIES).toContain(e.severity);
    expect(['poll', 'sweep']).toContain(e.cadence);
    if (e.remediation !== null) expect(ACTIONS).toContain(e.remediation);
  });

  it('offers automatic remediation only for the documented, reversible fixes', () => {
    const remediable = Object.fromEntries(
      CATALOG.filter((e) => e.remediation !== null).map((e) => [e.code, e.remediation]),
    );
    expect(remediable).toEqual({
      AP_USERLESS_BLOCKED: 'allow-next-enrollment',
      AP_PROFILE_OUT_OF_SYNC: 'autopilot-sync',
      AP_IMPORT_NOT_VISIBLE: 'autopilot-sync',
      AP_SYNC_FAILED: 'autopilot-sync',
      DP_GROUP_OWNER_MISSING: 'restore-device-prep-owner',
      DP_DEVICE_NOT_IN_GROUP: 'add-to-device-prep-group',
    });
  });

  it('knows every code a detector can emit, and every entry has a detector', () => {
    const emitted = new Set(DETECTORS.flatMap((d) => d.codes));
    for (const code of emitted) expect(catalogEntry(code), code).not.toBeNull();
    for (const e of CATALOG) expect(emitted.has(e.code as never), e.code).toBe(true);
  });

  it('decides coverage for every code; codes only a sweep can see are sweep-cadence', () => {
    for (const e of CATALOG) {
      const category = COVERAGE[e.code as keyof typeof COVERAGE];
      expect(category, e.code).toBeDefined();
      // Sweep-only coverage implies sweep cadence. The converse does not hold: identity-state codes are found
      // on the full read, yet a poll that reads the device (a blocked one) may still resolve them.
      if (category.startsWith('sweep')) expect(e.cadence, e.code).toBe('sweep');
    }
  });

  it('returns null for an unknown code and cannot be edited in place', () => {
    expect(catalogEntry('AP_NOPE')).toBeNull();
    expect(Object.isFrozen(CATALOG)).toBe(true);
    expect(Object.isFrozen(CATALOG[0])).toBe(true);
  });
});
