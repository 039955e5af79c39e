import { ConfigError, type ConfigProblem } from '../../../shared/config/index.js';

/** The problems a configuration load reports; fails the test when it loads. */
export function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}
