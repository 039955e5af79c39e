import { describe, expect, it } from 'vitest';
import { isAlreadyExists, readErrorBody } from '../../../../shared/adapters/graph/graph-errors.js';

const body = (code: string, message: string) =>
  JSON.stringify({
    error: {
      code,
      message,
      innerError: { date: '2025-01-01T00:00:00', 'request-id': 'rid', 'client-request-id': 'cid' },
    },
  });

describe('Graph error bodies', () => {
  it('reads code, message and innerError request-id', () => {
    expect(readErrorBody(body('Request_BadRequest', 'm'))).toEqual({
      code: 'Request_BadRequest',
      message: 'm',
      requestId: 'rid',
    });
    expect(readErrorBody('<html>bad gateway</html>')).toEqual({ code: null, message: null, requestId: null });
    expect(readErrorBody('{"error":"flat"}')).toEqual({ code: null, message: null, requestId: null });
  });

  it.each(['members', 'owners'])('recognises the documented "already exists" 400 for %s', (prop) => {
    const msg = `One or more added object references already exist for the following modified properties: '${prop}'.`;
    expect(isAlreadyExists(400, readErrorBody(body('Request_BadRequest', msg)))).toBe(true);
  });

  it('matches nothing looser: other codes, statuses or messages', () => {
    const msg = "One or more added object references already exist for the following modified properties: 'members'.";
    expect(isAlreadyExists(400, readErrorBody(body('BadRequest', msg)))).toBe(false);
    expect(isAlreadyExists(409, readErrorBody(body('Request_BadRequest', msg)))).toBe(false);
    expect(isAlreadyExists(400, readErrorBody(body('Request_BadRequest', 'Invalid object identifier')))).toBe(false);
  });
});
