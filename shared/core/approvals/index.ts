export * from './ids.js';
export * from './proposals.js';
export * from './state.js';
export * from './token.js';
export * from './types.js';
export * from './review-page.js';
