import type { GraphHealth, GraphProbe } from '../../ports/index.js';
import { GraphError } from '../../ports/index.js';
import type { TokenProvider } from './credentials.js';
import type { GraphHttp } from './graph-http.js';
import { grantedRoles } from './jwt.js';

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
    try {
      permissions = grantedRoles(await this.tokens.getToken());
    } catch (err) {
      return { grantedPermissions: [], reachable: false, detail: `token: ${this.http.redact(errorText(err))}` };
    }
    try {
      const reply = await this.http.send({
        method: 'GET',
        target: '/beta/deviceManagement/windowsAutopilotSettings',
        what: 'GET windowsAutopilotSettings (health)',
        // A health check answers now or reports the failure; it does not sit in backoff.
        retry: false,
      });
      return { grantedPermissions: permissions, reachable: true, detail: `ok (request-id ${reply.requestId ?? 'none'})` };
    } catch (err) {
      // An HTTP answer (403, 429, 5xx) proves reachability; a network error doesn't.
      const answered = err instanceof GraphError && err.status !== null;
      return { grantedPermissions: permissions, reachable: answered, detail: this.http.redact(errorText(err)) };
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
