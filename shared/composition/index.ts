export * from './bindings.js';
export * from './container.js';
export * from './host.js';
export { contextLogger, silentLogger, streamLogger } from '../adapters/logging/loggers.js';
export type { InProcessQueue } from '../adapters/inprocess/queue.js';
export { parseCommand, tenantNamedBy, type ParseResult } from '../adapters/servicebus/command-schema.js';
export * from './fleet.js';
export { parseTenantRun, type TenantRunParse } from '../adapters/servicebus/tenant-run-queue.js';
