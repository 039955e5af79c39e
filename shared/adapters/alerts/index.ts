export * from './http-delivery.js';
export * from './redact.js';
export * from './teams-workflow.sink.js';
export * from './webhook.sink.js';
