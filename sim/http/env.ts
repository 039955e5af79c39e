/**
 * Everything a route handler may touch. The tenant is replaceable (POST /_sim/scenario), so
 * handlers read `env.tenant` on each call instead of keeping a reference.
 */
import type { SimClock } from '../clock.js';
import type { Faults } from '../limits/faults.js';
import type { WriteLimiter } from '../limits/limiter.js';
import type { RequestLog } from '../limits/requestlog.js';
import type { ExportJobs } from '../reports/jobs.js';
import type { Tenant } from '../tenant/tenant.js';

export interface SimSettings {
  /** The secret a Graph request's bearer token must carry (as is, or inside the issued JWT when roles are managed). */
  token: string;
  /** Application roles in issued tokens; null = not managed (an opaque token that may do everything). */
  roles: string[] | null;
  latencyMs: number;
  syncDurationMs: number;
  exportJob: { pollsUntilComplete: number; minDurationMs: number };
}

export interface SimEnv {
  tenant: Tenant;
  clock: SimClock;
  faults: Faults;
  limiter: WriteLimiter;
  log: RequestLog;
  exports: ExportJobs;
  settings: SimSettings;
}
