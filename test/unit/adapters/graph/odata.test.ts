import { describe, expect, it } from 'vitest';
import {
  dateTimeLiteral,
  inList,
  queryString,
  quote,
  quoteGuid,
  segment,
} from '../../../../shared/adapters/graph/odata.js';

describe('odata helpers', () => {
  it('quotes strings by doubling single quotes', () => {
    expect(quote("O'Brien's PC")).toBe("'O''Brien''s PC'");
    expect(quote('')).toBe("''");
    expect(quote("' or 1 eq 1 or '")).toBe("''' or 1 eq 1 or '''");
  });

  it('refuses control characters', () => {
    expect(() => quote('a\u0000b')).toThrow(RangeError);
    expect(() => quote('line\nbreak')).toThrow(RangeError);
    // DEL and the C1 range too (U+009B is an 8-bit CSI), the same rule the poll screens serial numbers with.
    expect(() => quote('a\u007fb')).toThrow(RangeError);
    expect(() => quote('a\u009bb')).toThrow(RangeError);
    expect(quote('a\u00a0b')).toBe("'a\u00a0b'");
  });

  it('accepts only GUIDs where an id is expected', () => {
    expect(quoteGuid('F1346770-5B25-470B-88BD-D5744AB7952C')).toBe("'f1346770-5b25-470b-88bd-d5744ab7952c'");
    expect(() => quoteGuid("x' or '1' eq '1")).toThrow(RangeError);
    expect(() => quoteGuid('f1346770-5b25-470b-88bd-d5744ab7952')).toThrow(RangeError);
  });

  it('formats unquoted UTC date-time literals in whole seconds', () => {
    expect(dateTimeLiteral(Date.UTC(2024, 4, 1, 10, 0, 0, 999))).toBe('2024-05-01T10:00:00Z');
    expect(dateTimeLiteral(new Date('2024-05-01T12:00:00+02:00'))).toBe('2024-05-01T10:00:00Z');
    expect(() => dateTimeLiteral(Number.NaN)).toThrow(RangeError);
  });

  it('builds in-lists with every value quoted', () => {
    expect(inList('serialNumber', ['A', "B'C"])).toBe("serialNumber in ('A','B''C')");
    expect(() => inList('id', [])).toThrow(RangeError);
  });

  it('percent-encodes path segments so an id cannot add segments', () => {
    expect(segment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
    expect(() => segment('..')).toThrow(RangeError);
  });

  it('keeps $ option names literal and encodes values with %20, never +', () => {
    expect(queryString({ $filter: "displayName eq 'a+b c&d'", $top: 999, $select: undefined })).toBe(
      "$filter=displayName%20eq%20'a%2Bb%20c%26d'&$top=999",
    );
  });
});
