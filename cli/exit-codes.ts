/**
 * 0: the run completed (findings or not). 1: the run aborted. 2: configuration or usage error.
 * 3: `sweep --fail-on SEVERITY`: the run completed, and findings at or above SEVERITY remain unfixed.
 */
export const EXIT = { ok: 0, aborted: 1, config: 2, findingsRemain: 3 } as const;
