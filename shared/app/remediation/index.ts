export type { EnqueueDeps, RemediationDeps } from './deps.js';
export { enqueueDecisions, type EnqueueResult } from './enqueue.js';
export { AlreadyInProgressError, DeferralNotRecordedError, isAlreadyInProgress, redeliverAt } from './errors.js';
export { executeRemediation } from './execute.js';
export { GovernorContentionError } from './governor-row.js';
export { AttemptNotRecordedError } from './attempt.js';
export { MAX_SERIAL_LENGTH } from './guard.js';
export { recordInvalidMessage, type InvalidMessage } from './invalid-message.js';
