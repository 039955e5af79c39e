export * from './errors.js';
export * from './graph.port.js';
export * from './runtime.port.js';
export * from './storage-errors.js';
export * from './stores.port.js';
export * from './json.js';
export * from './approvals.port.js';
