// Read the `roles` claim of an app-only Graph token to report granted application permissions in the
// health probe. No signature check: the token came from our own credential and is only inspected for
// diagnostics, never trusted for a decision. A static token that is not a JWT yields no roles.

export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const payload: unknown = JSON.parse(json);
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Application permissions (`roles`), sorted; [] for tokens without them (delegated, static, opaque). */
export function grantedRoles(token: string): string[] {
  const roles = decodeJwtPayload(token)?.roles;
  if (!Array.isArray(roles)) return [];
  return roles.filter((r): r is string => typeof r === 'string').sort();
}

/** The tenant id (`tid`) the token was issued for; null when it carries none. */
export function tokenTenant(token: string): string | null {
  const tid = decodeJwtPayload(token)?.tid;
  return typeof tid === 'string' && tid.length > 0 ? tid : null;
}
