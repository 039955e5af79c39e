import { describe, expect, it } from 'vitest';
import { classifyFailure, extractErrorCodes } from '../../../../shared/core/detect/index.js';

// enrollmentFailureDetails is free text; the same HRESULT arrives in many spellings (see the catalog's enrollment-error entries).

describe('extractErrorCodes', () => {
  it.each([
    ['0x80180014', ['80180014']],
    ['0X80180014', ['80180014']],
    ['bare 80180014 in a sentence', ['80180014']],
    ['unsigned decimal 2149056532', ['80180014']],
    ['signed decimal -2145910764', ['80180014']],
    ['ResultCode=-2147023436', ['800705b4']],
    ['error code 801c0003', ['801c0003']],
    ['E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED', ['81039001']],
    ['first 0x80004005 then 0x801C03F3', ['80004005', '801c03f3']],
    ['same code twice: 0x80180014 / 2149056532', ['80180014']],
    ['GUID 80180014-1111-2222-3333-444455556666 is not a code', []],
    ['small numbers 12345 and 0 are not codes', []],
    ['positive decimal below 2^31 (1234567890) is not a failure HRESULT', []],
  ] as const)('%s', (text, expected) => {
    expect(extractErrorCodes(text)).toEqual(expected);
  });

  it('handles null and empty text', () => {
    expect(extractErrorCodes(null)).toEqual([]);
    expect(extractErrorCodes('')).toEqual([]);
  });
});

describe('classifyFailure', () => {
  it('classifies by the first code the catalog knows, reporting the first code seen', () => {
    expect(classifyFailure('0x80004005 after 0x81039024')).toEqual({
      errorCode: '0x80004005',
      finding: 'AP_TPM_VULNERABLE_FIRMWARE',
      matched: '0x81039024',
    });
  });

  it('leaves unknown codes unclassified', () => {
    expect(classifyFailure('0x80004005')).toEqual({ errorCode: '0x80004005', finding: null, matched: null });
    expect(classifyFailure(null)).toEqual({ errorCode: null, finding: null, matched: null });
  });
});
