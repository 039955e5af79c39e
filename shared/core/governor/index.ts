export * from './sync-window.js';
export * from './write-pacing.js';
