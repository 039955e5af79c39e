import { describe, expect, it } from 'vitest';

import { makeRedactor } from '../../../../shared/adapters/alerts/redact.js';
import { redactSecretShapes, secretRedactor } from '../../../../shared/adapters/redaction/redact-secrets.js';

// The one redaction step shared by the Graph adapter and the alert sinks (issue 13.7).

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';

describe('redactSecretShapes', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    ['token is ' + JWT + ' ok', 'token is [redacted] ok'],
    [
      'https://acct.blob.core.windows.net/c/r.zip?sv=2024&sig=AbC%2Bd&se=1',
      'https://acct.blob.core.windows.net/c/r.zip?sv=2024&sig=[redacted]&se=1',
    ],
    ['https://app/callback?code=0.AXYZ&state=1', 'https://app/callback?code=[redacted]&state=1'],
    [
      'client_id=x&client_secret=Q~abc&grant_type=client_credentials',
      'client_id=x&client_secret=[redacted]&grant_type=client_credentials',
    ],
    [
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k3y==;EndpointSuffix=core',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted];EndpointSuffix=core',
    ],
    ['{"access_token":"abc\\"def","expires_in":3599}', '{"access_token":"[redacted]","expires_in":3599}'],
  ])('%s', (input, output) => {
    expect(redactSecretShapes(input)).toBe(output);
  });

  it('leaves ordinary error texts alone', () => {
    for (const text of [
      "GET groups/9a000000-0000-4000-8000-000000000001: HTTP 404 Request_ResourceNotFound — Resource '9a00' does not exist.",
      'WWW-Authenticate: Bearer realm="", error="invalid_token"',
      '{"error":{"code":"Request_BadRequest","message":"Invalid filter clause"}}',
      'Basic authentication is not supported',
    ]) {
      expect(redactSecretShapes(text)).toBe(text);
    }
  });
});

describe('secretRedactor', () => {
  it('masks configured and remembered secrets verbatim and URL-encoded, and keeps only the latest remembered few', () => {
    const r = secretRedactor(['configured secret/1']);
    r.remember('opaque-token-number-0');
    expect(r('a configured secret/1 b configured%20secret%2F1 c opaque-token-number-0')).toBe(
      'a [redacted] b [redacted] c [redacted]',
    );
    for (let i = 1; i <= 8; i++) r.remember(`opaque-token-number-${i}`);
    // The oldest remembered token is dropped; the configured secret never is.
    expect(r('opaque-token-number-0')).toBe('opaque-token-number-0');
    expect(r('opaque-token-number-8 configured secret/1')).toBe('[redacted] [redacted]');
  });

  it('does not remember strings too short to mask safely', () => {
    const r = secretRedactor();
    r.remember('abc');
    expect(r('abc abc')).toBe('abc abc');
  });
});

describe('makeRedactor (alert sinks)', () => {
  it('masks the URL whole, its secret parts, and secret shapes a receiver adds', () => {
    const url =
      'https://prod-00.westeurope.logic.azure.com/workflows/0123456789abcdef0123/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SeCrEtSiGnAtUrE123';
    const r = makeRedactor(url);
    expect(r(`posting to ${url} failed`)).toBe('posting to [redacted] failed');
    expect(r('echo sig=SeCrEtSiGnAtUrE123 and Bearer xyz.abc.123')).toBe('echo sig=[redacted] and Bearer [redacted]');
  });
});
