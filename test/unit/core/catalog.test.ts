import { describe, expect, it } from 'vitest';
import { CATALOG, CODES, catalogEntry } from '../../../shared/core/catalog/catalog.js';
import { COVERAGE, DETECTORS } from '../../../shared/core/detect/index.js';
import { ACTIONS, SEVERITIES } from '../../../shared/core/model/index.js';

// The catalog is the single source of titles, fixes and references (ARCHITECTURE §5). These checks keep it
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
    // A section of the reference and, for every entry, the seed lines or the platform facts it rests on.
    expect(e.reference).toMatch(/§\d/);
    expect(e.reference).toMatch(/seed 004 L\d+|graph-and-platform/);
    expect(SEVERITIES).toContain(e.severity);
    expect(['poll', 'sweep']).toContain(e.cadence);
    if (e.remediation !== null) expect(ACTIONS).toContain(e.remediation);
  });

  it('offers automatic remediation only where the architecture allows it (§5)', () => {
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
