import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../core/model/index.js';
import type { EndpointProbe, GraphHealth, GraphProbe } from '../../ports/index.js';
import { GraphError } from '../../ports/index.js';
import type { TokenProvider } from './credentials.js';
import type { GraphHttp } from './graph-http.js';
import { grantedRoles, tokenTenant } from './jwt.js';

// Health: can we get a token, reach Graph and read the Autopilot settings singleton? The usual
// `GET /v1.0/organization` check proves less for us (it needs a directory permission we don't otherwise
// use, and the simulator doesn't serve it); the settings read exercises the Intune permission we rely on.

export class GraphHealthProbe implements GraphProbe {
  constructor(
    private readonly http: GraphHttp,
    private readonly tokens: TokenProvider,
  ) {}

  async check(): Promise<GraphHealth> {
    let permissions: string[];
    let tenantId: string | null;
    try {
      const token = await this.tokens.getToken();
      permissions = grantedRoles(token);
      tenantId = tokenTenant(token);
    } catch (err) {
      return {
        grantedPermissions: [],
        reachable: false,
        tokenErrorCodes: entraErrorCodes(errorText(err)),
        detail: `token: ${this.http.redact(errorText(err))}`,
      };
    }
    try {
      const reply = await this.http.send({
        method: 'GET',
        target: '/beta/deviceManagement/windowsAutopilotSettings',
        what: 'GET windowsAutopilotSettings (health)',
        // A health check answers now or reports the failure; it does not sit in backoff.
        retry: false,
      });
      return {
        grantedPermissions: permissions,
        tokenTenantId: tenantId,
        reachable: true,
        detail: `ok (request-id ${reply.requestId ?? 'none'})`,
      };
    } catch (err) {
      // An HTTP answer (403, 429, 5xx) proves reachability; a network error doesn't.
      const answered = err instanceof GraphError && err.status !== null;
      return {
        grantedPermissions: permissions,
        tokenTenantId: tenantId,
        reachable: answered,
        detail: this.http.redact(errorText(err)),
      };
    }
  }

  async endpoints(): Promise<EndpointProbe[]> {
    // One at a time: a health check should not add a burst of its own to a tenant that may already be throttled.
    const out: EndpointProbe[] = [];
    for (const e of ENDPOINTS) out.push(await this.probe(e));
    return out;
  }

  private async probe(e: {
    readonly name: string;
    readonly path: string;
    readonly query?: string;
  }): Promise<EndpointProbe> {
    const call = `GET ${e.path}`;
    try {
      await this.http.send({
        method: 'GET',
        target: e.query ? `${e.path}?${e.query}` : e.path,
        what: `${call} (health)`,
        retry: false,
      });
      return { name: e.name, call, outcome: 'ok', httpStatus: 200, detail: 'answered' };
    } catch (err) {
      const status = err instanceof GraphError ? err.status : null;
      const outcome = status === 401 || status === 403 ? 'denied' : 'failed';
      // Cut short: the service's message is echoed here, and it can be long (or hostile).
      const detail = this.http.redact(errorText(err));
      return {
        name: e.name,
        call,
        outcome,
        httpStatus: status,
        detail: detail.length > 300 ? `${detail.slice(0, 300)}…` : detail,
      };
    }
  }
}

/**
 * Every endpoint the product reads fleet-wide, each asked for one record. The device-preparation groups, their
 * owners and their policies are read per configured group (app/health/group-check.ts). The report export is not
 * probed: starting an export job is a POST that creates a job, and a health check writes nothing.
 */
const ENDPOINTS: readonly { readonly name: string; readonly path: string; readonly query?: string }[] = [
  { name: 'Autopilot settings (sync state)', path: '/beta/deviceManagement/windowsAutopilotSettings' },
  {
    name: 'Autopilot device identities',
    path: '/beta/deviceManagement/windowsAutopilotDeviceIdentities',
    query: '$top=1',
  },
  {
    name: 'Imported Autopilot devices',
    path: '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities',
    query: '$top=1',
  },
  { name: 'Autopilot deployment events', path: '/beta/deviceManagement/autopilotEvents', query: '$top=1' },
  { name: 'Intune managed devices', path: '/v1.0/deviceManagement/managedDevices', query: '$top=1&$select=id' },
  { name: 'Entra devices', path: '/v1.0/devices', query: '$top=1&$select=id' },
  {
    name: 'Intune Provisioning Client service principal',
    path: '/v1.0/servicePrincipals',
    query: `$filter=appId eq '${INTUNE_PROVISIONING_CLIENT_APP_ID}'&$select=id,appId`,
  },
];

/**
 * The AADSTS codes an Entra error names (Microsoft Learn: "Microsoft Entra authentication and authorization error
 * codes", https://learn.microsoft.com/entra/identity-platform/reference-error-codes), as digits, deduplicated and
 * bounded: the message itself is server text and stays behind redaction.
 */
export function entraErrorCodes(text: string): string[] {
  const codes = new Set<string>();
  for (const m of text.matchAll(/\bAADSTS(\d{5,8})\b/g)) {
    if (m[1]) codes.add(m[1]);
    if (codes.size >= 5) break;
  }
  return [...codes];
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
