// Directory and Intune object ids are GUIDs. A queue message, a config value or a tenant string that should be
// one and is not is refused before it can reach a Graph path or an OData filter.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}
