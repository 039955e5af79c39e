export * from './decide.js';
export * from './evidence.js';
export * from './group-shape.js';
export * from './keys.js';
export * from './plan.js';
export * from './types.js';
