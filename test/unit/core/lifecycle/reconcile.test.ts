import { describe, expect, it } from 'vitest';

import { reconcile, type StoredFinding } from '../../../../shared/core/lifecycle/reconcile.js';
import type { Finding } from '../../../../shared/core/model/index.js';

const finding = (key: string, code: string, fingerprint = `${key}-${code}`): Finding => ({
  code,
  subject: { kind: 'device', key, serialNumber: key, autopilotId: null },
  severity: 'warning',
  title: code,
  evidence: {},
  fingerprint,
  remedy: null,
});

const stored = (
  key: string,
  code: string,
  fingerprint = `${key}-${code}`,
  status: 'open' | 'resolved' = 'open',
): StoredFinding => ({
  subjectKey: key,
  code,
  fingerprint,
  severity: 'warning',
  title: code,
  status,
  firstSeenAt: 1,
  lastSeenAt: 1,
  resolvedAt: null,
  attempts: 0,
  lastAttemptAt: null,
});

const all = () => true;

describe('reconcile (open → resolved lifecycle)', () => {
  it('opens new findings and keeps unchanged ones continuing', () => {
    const r = reconcile([stored('A', 'X')], [finding('A', 'X'), finding('B', 'X')], all);
    expect(r.opened.map((f) => f.subject.key)).toEqual(['B']);
    expect(r.continuing.map((c) => c.record.subjectKey)).toEqual(['A']);
    expect(r.resolved).toEqual([]);
  });

  it('resolves an open finding that disappeared from a covered subject', () => {
    const r = reconcile([stored('A', 'X'), stored('B', 'X')], [finding('A', 'X')], all);
    expect(r.resolved.map((f) => f.subjectKey)).toEqual(['B']);
  });

  it('does not resolve what this run could not see (incremental poll)', () => {
    const r = reconcile([stored('A', 'X'), stored('B', 'X')], [finding('A', 'X')], (_c, key) => key === 'A');
    expect(r.resolved).toEqual([]);
  });

  it('treats a changed fingerprint (e.g. escalated severity) as changed, not continuing', () => {
    const r = reconcile([stored('A', 'X', 'old')], [finding('A', 'X', 'new')], all);
    expect(r.changed).toHaveLength(1);
    expect(r.opened).toEqual([]);
  });

  it('ignores already-resolved records and collapses duplicates within one run', () => {
    const r = reconcile([stored('A', 'X', 'A-X', 'resolved')], [finding('A', 'X'), finding('A', 'X')], all);
    expect(r.opened).toHaveLength(1);
    expect(r.resolved).toEqual([]);
  });
});
