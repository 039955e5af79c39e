export * from './alert-dispatcher.js';
export * from './build-run-alerts.js';
