export * from './sync-window.js';
export * from './write-pacing.js';
export * from './pending-reasons.js';
