import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../../shared/config/index.js';
import { storageConnectionStringProblems } from '../../../shared/config/storage-connection-string.js';

// Issue 13.11: a malformed STORAGE_CONNECTION_STRING used to abort the first table call with "Cannot read
// properties of undefined (reading 'toLowerCase')" (exit 1). It is a configuration error now: named, at
// start-up, never echoing the value. The verdicts are checked against what @azure/data-tables itself accepts.

const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const SECRETISH = 'sv=2024-11-04&ss=t&srt=sco&sp=rwdlacu&se=2030-01-01T00:00:00Z&sig=c2VjcmV0c2lnbmF0dXJl';

const VALID = [
  'UseDevelopmentStorage=true',
  `DefaultEndpointsProtocol=https;AccountName=apmstore;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
  `DefaultEndpointsProtocol=https;AccountName=apmstore;AccountKey=${KEY};EndpointSuffix=core.windows.net;`,
  `defaultendpointsprotocol=HTTPS; accountname=apmstore; accountkey=${KEY}; endpointsuffix=core.windows.net`,
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`,
  `TableEndpoint=https://apmstore.table.core.windows.net/;SharedAccessSignature=${SECRETISH}`,
];

const INVALID: readonly (readonly [string, RegExp])[] = [
  ['garbage', /part 1 of 1 is not key=value/],
  [`AccountName=apmstore;AccountKey${KEY.slice(0, 20)}`, /part 2 of 2 is not key=value/],
  [`AccountName=apmstore;AccountKey=${KEY};EndpointSuffix=core.windows.net`, /no DefaultEndpointsProtocol/],
  [`DefaultEndpointsProtocol=https;AccountKey=${KEY};EndpointSuffix=core.windows.net`, /no AccountName/],
  [
    'DefaultEndpointsProtocol=https;AccountName=apmstore;AccountKey=;EndpointSuffix=core.windows.net',
    /AccountKey is empty or not base64/,
  ],
  [
    `DefaultEndpointsProtocol=ftp;AccountName=apmstore;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
    /DefaultEndpointsProtocol must be https/,
  ],
  [`DefaultEndpointsProtocol=https;AccountName=apmstore;AccountKey=${KEY}`, /needs EndpointSuffix/],
  [`SharedAccessSignature=${SECRETISH}`, /needs TableEndpoint/],
  [`TableEndpoint=not a url;SharedAccessSignature=${SECRETISH}`, /TableEndpoint is not an http\(s\) URL/],
  ['AccountName=apmstore;EndpointSuffix=core.windows.net', /is neither an account-key connection string/],
  [';;', /is empty/],
];

/** Does the SDK build a client from it (and sign a request's URL) without throwing? */
function sdkAccepts(value: string): boolean {
  try {
    TableClient.fromConnectionString(value, 'apmtest', { allowInsecureConnection: true });
    return true;
  } catch {
    return false;
  }
}

describe('STORAGE_CONNECTION_STRING', () => {
  it.each(VALID)('accepts what the SDK accepts: %s', (value) => {
    expect(storageConnectionStringProblems(value)).toEqual([]);
    expect(sdkAccepts(value)).toBe(true);
    expect(loadConfig({ STORAGE_CONNECTION_STRING: value }).storage).toEqual({
      kind: 'connection-string',
      connectionString: value,
    });
  });

  it.each(INVALID)(
    'refuses %s as a ConfigError naming the key and the part at fault, never the value',
    (value, message) => {
      const problems = storageConnectionStringProblems(value);
      expect(problems.join('\n')).toMatch(message);
      let error: unknown = null;
      try {
        loadConfig({ STORAGE_CONNECTION_STRING: value, REMEDIATION_MODE: 'sometimes' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const e = error as ConfigError;
      // Every bad key in one error: the storage string and the unrelated bad mode.
      expect([...new Set(e.problems.map((p) => p.key))].sort()).toEqual([
        'REMEDIATION_MODE',
        'STORAGE_CONNECTION_STRING',
      ]);
      expect(e.message).toMatch(message);
      for (const secret of [KEY, KEY.slice(0, 20), SECRETISH, 'apmstore', 'garbage', 'not a url'])
        expect(e.message).not.toContain(secret);
    },
  );

  it('the SDK fails on the refused ones where it can tell (so none of them would have worked)', () => {
    const sdkRefused = INVALID.map(([value]) => value).filter((value) => !sdkAccepts(value));
    // The SDK accepts two of them at construction and fails later: an empty or non-base64 key (403 on every
    // request) and a protocol other than http(s) with an explicit endpoint. The rest it refuses outright.
    expect(sdkRefused.length).toBeGreaterThanOrEqual(INVALID.length - 2);
    expect(() => TableClient.fromConnectionString('garbage', 'apmtest')).toThrow(/toLowerCase/);
  });
});
