export * from './decide.js';
export * from './propose.js';
export * from './settings.js';
