import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  escapeKey,
  historyRowKey,
  isHashedKey,
  keyFits,
  MAX_KEY_CHARS,
  unescapeKey,
} from '../../../shared/core/keys.js';

// Issue 13.4: a key Table Storage cannot hold (over 1 KiB once escaped) is hashed — stable, collision-resistant,
// readable at the front — instead of aborting the run with "key too long".

// eslint-disable-next-line no-control-regex -- the characters Table Storage refuses in a key
const REFUSED = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

describe('table keys', () => {
  it('escapes short values reversibly, as before', () => {
    for (const value of ['9TQ4L83', 'a/b\\c#d?e%f', 'tab\there', '\u0085nel', 'ünïcødé']) {
      const key = escapeKey(value);
      expect(key).not.toMatch(REFUSED);
      expect(isHashedKey(key)).toBe(false);
      expect(unescapeKey(key)).toBe(value);
    }
  });

  it('hashes a value that does not fit: within the limit, legal, stable, distinct, readable at the front', () => {
    const long = 'S'.repeat(600);
    const key = escapeKey(long);
    expect(key.length).toBeLessThanOrEqual(MAX_KEY_CHARS);
    expect(key).not.toMatch(REFUSED);
    expect(isHashedKey(key)).toBe(true);
    expect(key.startsWith('SSSS')).toBe(true);
    expect(escapeKey(long)).toBe(key);
    // Same 599-character prefix, different last character: a different key.
    expect(escapeKey(`${'S'.repeat(599)}T`)).not.toBe(key);
    expect(keyFits(long)).toBe(false);
    expect(keyFits('S'.repeat(MAX_KEY_CHARS))).toBe(true);
  });

  it('counts the escaped length: 300 × "#" escapes to 900 characters and is hashed; no escape is cut in half', () => {
    const key = escapeKey('#'.repeat(300));
    expect(key.length).toBeLessThanOrEqual(MAX_KEY_CHARS);
    expect(isHashedKey(key)).toBe(true);
    expect(key.replace(/%H[0-9a-f]{64}$/, '')).toMatch(/^(%23)+$/);
  });

  it('never mistakes the escape of a value for a hash', () => {
    const lookalike = `%H${'a'.repeat(64)}`;
    expect(isHashedKey(escapeKey(lookalike))).toBe(false);
    expect(unescapeKey(escapeKey(lookalike))).toBe(lookalike);
  });

  it('keeps history row keys (inverted time + id) within the limit too', () => {
    const at = Date.UTC(2026, 10, 22);
    expect(historyRowKey(at, 'x'.repeat(495)).length).toBe(MAX_KEY_CHARS);
    const hashed = historyRowKey(at, 'x'.repeat(496));
    expect(hashed.length).toBeLessThanOrEqual(MAX_KEY_CHARS);
    expect(isHashedKey(hashed)).toBe(true);
    expect(historyRowKey(at, 'x'.repeat(496))).toBe(hashed);
  });

  // A lone UTF-16 surrogate (tenant text can carry one) made the Tables SDK throw URIError in encodeURIComponent.
  it('escapes lone surrogates: the key is valid Unicode, reversible, and distinct from look-alikes', () => {
    const values = [
      'SN-\uD800-X',
      '\uDC00',
      'a\uDBFF',
      '\uDC00\uD800',
      'pair \uD83D\uDE00 kept',
      '%uD800',
      'SN-\uFFFD-X',
    ];
    const keys = values.map((v) => escapeKey(v));
    for (const [i, key] of keys.entries()) {
      expect(() => encodeURIComponent(key)).not.toThrow();
      expect(key).not.toMatch(REFUSED);
      expect(isHashedKey(key)).toBe(false);
      expect(unescapeKey(key)).toBe(values[i]);
    }
    expect(new Set(keys).size).toBe(values.length);
    expect(escapeKey('pair \uD83D\uDE00 kept')).toBe('pair \uD83D\uDE00 kept');
  });

  it('hashes a long value with lone surrogates to a valid key, distinct per surrogate, never cutting an escape', () => {
    const a = escapeKey(`${'S'.repeat(600)}\uD800`);
    const b = escapeKey(`${'S'.repeat(600)}\uD801`);
    // UTF-8 would read both lone surrogates as U+FFFD: the hash must not.
    const c = escapeKey(`${'S'.repeat(600)}\uFFFD`);
    for (const key of [a, b, c]) {
      expect(() => encodeURIComponent(key)).not.toThrow();
      expect(key.length).toBeLessThanOrEqual(MAX_KEY_CHARS);
      expect(isHashedKey(key)).toBe(true);
    }
    expect(new Set([a, b, c]).size).toBe(3);
    const many = escapeKey('\uD800'.repeat(200));
    expect(() => encodeURIComponent(many)).not.toThrow();
    expect(many.replace(/%H[0-9a-f]{64}$/, '')).toMatch(/^(%uD800)+$/);
    // A value without lone surrogates keeps the key it always had (its UTF-8 is hashed as before).
    const digest = createHash('sha256').update('S'.repeat(600), 'utf8').digest('hex');
    expect(escapeKey('S'.repeat(600)).endsWith(`%H${digest}`)).toBe(true);
  });
});
