import { describe, expect, it } from 'vitest';

import {
  coverReasons,
  MAX_LISTED_SYNC_REASONS,
  parkReasons,
  pendingReasonCount,
} from '../../../../shared/core/governor/index.js';
import { CONTROL_CHARS } from '../../../../shared/core/tenant-text.js';

// The reasons a sync command carries are finding fingerprints when the poll sends it, but a forged message may carry
// any text. The governor row lists a reason only when it has the shape of one (short, letters, digits and . : -);
// any other waits as a count, like the reasons beyond the listing limit, so no Markdown, HTML, control character
// or oversized string reaches the row (one Table Storage entity, a property at most 64 KiB), and one sync still
// answers them all.

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const EMPTY = { pendingReasons: [], unlisted: null };
const FP = '0123456789abcdef';

const HOSTILE = [
  '[Approve](https://evil.example/approve)',
  '<b onmouseover="alert(1)">x</b>',
  'line one\nline two',
  'tab\there',
  '\u001b[2J',
  '**bold** _it_ `code` | cell',
  'fp with spaces',
  '',
  'A'.repeat(65),
  'B'.repeat(100_000),
];

describe('pending sync reasons given hostile text', () => {
  it('lists the fingerprints only; the rest wait as a count with their plan time', () => {
    const p = parkReasons(EMPTY, [...HOSTILE, FP, 'fp-SN-1'], T0);
    expect(p.pendingReasons).toEqual([FP, 'fp-SN-1']);
    expect(p.unlisted).toEqual({ count: HOSTILE.length, plannedAt: T0 });
    expect(pendingReasonCount(p)).toBe(HOSTILE.length + 2);
    for (const r of p.pendingReasons) {
      expect(r).not.toMatch(CONTROL_CHARS);
      expect(r).not.toMatch(/[<>[\]()*_`|\s]/);
    }
  });

  it('stays within one property however many and however long, and parking them again counts them once', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `<a href="https://evil.example/${i}">${'x'.repeat(500)}</a>`);
    const p = parkReasons(EMPTY, many, T0);
    const again = parkReasons(p, many, T0 + 5);
    expect(again.pendingReasons).toEqual([]);
    expect(again.unlisted).toEqual({ count: 10_000, plannedAt: T0 + 5 });
    const fps = Array.from({ length: 5_000 }, (_, i) => i.toString(16).padStart(16, '0'));
    const mixed = parkReasons(again, fps, T0 + 6);
    expect(mixed.pendingReasons).toHaveLength(MAX_LISTED_SYNC_REASONS);
    // 16 hex digits in quotes and a comma each: well under 64 KiB (32,768 UTF-16 units).
    expect(JSON.stringify(mixed.pendingReasons).length).toBeLessThan(20_000);
  });

  it('a sync that started after they were planned answers them', () => {
    const p = parkReasons(EMPTY, [...HOSTILE, FP], T0);
    expect(pendingReasonCount(coverReasons(p, new Set([FP]), T0 - 1))).toBe(HOSTILE.length);
    expect(coverReasons(p, new Set([FP]), T0)).toEqual(EMPTY);
  });
});
