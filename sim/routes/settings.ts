/**
 * windowsAutopilotSettings and its sync action (beta only): 204 starts a sync, 409 while one runs,
 * 429 with Retry-After inside the 10-minute window after lastManualSyncTriggerDateTime.
 */
import { noContent } from '../http/context.js';
import { GraphError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { entityResponse } from '../odata/list.js';

const SET = 'deviceManagement/windowsAutopilotSettings';

export const settingsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `/${SET}`,
    versions: ['beta'],
    handler: (req, _p, env) => entityResponse(req, 'settings', SET, env.tenant.sync.settings, true),
  },
  {
    method: 'POST',
    pattern: `/${SET}/sync`,
    versions: ['beta'],
    handler: (_req, _p, env) => {
      const now = env.clock.nowMs();
      env.tenant.tick(now);
      const attempt = env.tenant.sync.trigger(now);
      if (attempt.kind === 'inProgress') {
        throw new GraphError(
          409,
          'Conflict',
          'An Autopilot sync is already in progress. Try again after it completes.',
        );
      }
      if (attempt.kind === 'tooSoon') {
        throw new GraphError(429, 'TooManyRequests', 'Sync can only be triggered once every 10 minutes.', {
          'Retry-After': String(attempt.retryAfterSeconds),
        });
      }
      return noContent();
    },
  },
];
