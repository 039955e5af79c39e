import { describe, expect, it } from 'vitest';
import { grantedRoles } from '../../../../shared/adapters/graph/jwt.js';

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: unknown): string => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}.c2lnbmF0dXJl`;

describe('grantedRoles', () => {
  it('lists the roles claim, sorted', () => {
    const token = jwt({
      aud: 'https://graph.microsoft.com',
      roles: ['GroupMember.ReadWrite.All', 'DeviceManagementServiceConfig.ReadWrite.All'],
    });
    expect(grantedRoles(token)).toEqual(['DeviceManagementServiceConfig.ReadWrite.All', 'GroupMember.ReadWrite.All']);
  });

  it('decodes base64url payloads (with - and _)', () => {
    const token = jwt({ roles: ['Device.Read.All'], name: '\u00ff\u00fe\u00fd>>>???' });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(grantedRoles(token)).toEqual(['Device.Read.All']);
  });

  it.each([
    ['a static simulator token', 'sim-token'],
    ['a JWT without roles (delegated)', jwt({ scp: 'User.Read' })],
    ['garbage payload', 'a.%%%.c'],
    ['roles not an array', jwt({ roles: 'Device.Read.All' })],
    ['payload not an object', `${b64url({})}.${b64url([1, 2])}.x`],
  ])('returns [] for %s', (_what, token) => {
    expect(grantedRoles(token)).toEqual([]);
  });

  it('drops non-string roles', () => {
    expect(grantedRoles(jwt({ roles: ['A', 1, null] }))).toEqual(['A']);
  });
});
