export * from './alert.js';
export * from './command.js';
export * from './decision.js';
export * from './enums.js';
export * from './finding.js';
export * from './ids.js';
export * from './tenant.js';
export * from './snapshot.js';
