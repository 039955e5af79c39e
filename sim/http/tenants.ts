/**
 * The tenants one simulator serves, like graph.microsoft.com serves every tenant at one address: the bearer token
 * picks the tenant (an app consented in several tenants holds one token per tenant, each naming its tenant in `tid`).
 * Tokens are resolved with one map lookup, rebuilt only when a tenant's token or roles change, so a request costs no
 * more with fifty tenants than with one. A request no tenant's token names is answered 401 and logged in the
 * unauthenticated log (with a single tenant that is the tenant's own log, as it always was).
 */
import { issuedToken } from '../auth/app-roles.js';
import type { RequestLog } from '../limits/requestlog.js';
import type { Planted } from '../generate/spec.js';
import type { ScenarioObject } from '../scenario/schema.js';
import type { SimEnv } from './env.js';
import { GraphError } from './errors.js';

/** What the control endpoints do to one tenant. */
export interface ControlTarget {
  /** The name of the scenario the tenant was loaded from. */
  name(): string;
  planted(): Planted;
  state(): Record<string, unknown>;
  loadScenario(s: ScenarioObject | string): void;
  patchScenario(patch: Record<string, unknown>): void;
  setOptions(o: Record<string, unknown>): void;
}

export interface HostedTenant {
  /** The tenant id (`tid` of its tokens), as configured. */
  readonly id: string;
  readonly env: SimEnv;
  readonly control: ControlTarget;
}

export class TenantDirectory {
  private byToken = new Map<string, HostedTenant>();
  private readonly byId = new Map<string, HostedTenant>();

  constructor(
    readonly all: readonly HostedTenant[],
    /** Where requests no tenant's token names are logged. */
    readonly unauthenticated: RequestLog,
  ) {
    if (all.length === 0) throw new Error('a simulator needs at least one tenant');
    for (const h of all) this.byId.set(h.id.toLowerCase(), h);
    this.rebuild();
  }

  get first(): HostedTenant {
    return this.all[0] as HostedTenant;
  }

  /** The tenant a bearer token (without `Bearer `) belongs to, if any. */
  authenticate(token: string): HostedTenant | undefined {
    return this.byToken.get(token);
  }

  /** The tenant a control request names (`?tenant=<id>`, case-insensitive); the first one when it names none. */
  pick(id: string | null): HostedTenant {
    if (id === null || id === '') return this.first;
    const h = this.byId.get(id.toLowerCase());
    if (!h) throw new GraphError(404, 'NotFound', `no simulated tenant ${JSON.stringify(id)}`);
    return h;
  }

  get(id: string): HostedTenant | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /**
   * Change a tenant's secret and roles. Refused (nothing changes) when the token it would then carry is another
   * tenant's: a token must name exactly one tenant.
   */
  setAuth(host: HostedTenant, secret: string, roles: string[] | null): void {
    const next = issuedToken(secret, roles, host.id);
    const owner = this.byToken.get(next);
    if (owner && owner !== host)
      throw new Error(`tenant ${host.id} would carry the same token as tenant ${owner.id}: give each tenant its own`);
    host.env.settings.token = secret;
    host.env.settings.roles = roles;
    this.rebuild();
  }

  private rebuild(): void {
    const map = new Map<string, HostedTenant>();
    for (const h of this.all) {
      const token = issuedToken(h.env.settings.token, h.env.settings.roles, h.id);
      const owner = map.get(token);
      if (owner)
        throw new Error(`tenants ${owner.id} and ${h.id} would carry the same token: give each tenant its own`);
      map.set(token, h);
    }
    this.byToken = map;
  }
}
