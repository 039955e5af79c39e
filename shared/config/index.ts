export * from './config.js';
export { envSchema, SECRET_KEYS } from './env-schema.js';
export { ncrontabProblem, nextRuns } from './ncrontab.js';
export * from './tenants.js';
