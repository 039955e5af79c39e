/** Every Graph route the simulator serves, by resource. */
import type { Route } from '../http/router.js';
import { deviceRoutes } from './devices.js';
import { eventRoutes } from './events.js';
import { groupRoutes } from './groups.js';
import { identityRoutes } from './identities.js';
import { importedRoutes } from './imported.js';
import { managedRoutes } from './managed.js';
import { policyRoutes } from './policies.js';
import { reportRoutes } from './reports.js';
import { settingsRoutes } from './settings.js';

export const ALL_ROUTES: readonly Route[] = [
  ...identityRoutes,
  ...importedRoutes,
  ...settingsRoutes,
  ...eventRoutes,
  ...managedRoutes,
  ...reportRoutes,
  ...groupRoutes,
  ...deviceRoutes,
  ...policyRoutes,
];
