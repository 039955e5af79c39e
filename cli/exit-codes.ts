/** 0: the run completed (findings or not). 1: the run aborted. 2: configuration or usage error. */
export const EXIT = { ok: 0, aborted: 1, config: 2 } as const;
