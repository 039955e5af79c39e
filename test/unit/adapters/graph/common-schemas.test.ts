import { describe, expect, it } from 'vitest';
import { durationToSeconds, toEpochMs } from '../../../../shared/adapters/graph/schemas/common.js';

describe('durationToSeconds (Edm.Duration)', () => {
  it.each([
    ['PT1H2M3S', 3723],
    ['P1DT2H', 93_600],
    ['PT0S', 0],
    ['PT23M10S', 1390],
    ['PT1.6S', 2],
    ['P1W', 604_800],
    ['P2D', 172_800],
    ['pt5m', 300],
    ['-PT30S', -30],
  ])('%s → %d s', (wire, seconds) => {
    expect(durationToSeconds(wire)).toBe(seconds);
  });

  it.each([null, undefined, '', 'P', 'PT', '1H', 'P1Y', 'P1M', 'PT1H2', 42])('%j → null', (wire) => {
    expect(durationToSeconds(wire)).toBeNull();
  });
});

describe('toEpochMs', () => {
  it('parses ISO date-times', () => {
    expect(toEpochMs('2024-05-01T10:00:00Z')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(toEpochMs('2024-05-01T10:00:00.1234567Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  });

  it.each([
    '0001-01-01T00:00:00Z',
    '0001-01-01T00:00:00.0000000Z',
    '1601-01-01T00:00:00Z',
    null,
    undefined,
    '',
    'yesterday',
    7,
  ])('treats %j as no value', (wire) => {
    expect(toEpochMs(wire)).toBeNull();
  });
});
