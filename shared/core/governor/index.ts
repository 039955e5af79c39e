export * from './sync-window.js';
