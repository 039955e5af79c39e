export type { EnqueueDeps, RemediationDeps } from './deps.js';
export { enqueueDecisions, type EnqueueResult } from './enqueue.js';
export { AlreadyInProgressError, isAlreadyInProgress } from './errors.js';
export { executeRemediation } from './execute.js';
export { GovernorContentionError } from './governor-row.js';
