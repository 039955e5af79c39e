import { GraphHttp } from '../../../../shared/adapters/graph/graph-http.js';
import { DEFAULT_RETRY_POLICY } from '../../../../shared/adapters/graph/retry-policy.js';
import { UNLIMITED } from '../../../../shared/adapters/graph/write-budget.js';
import { type Answer, scriptedFetch } from './fake-fetch.js';

export const BASE = 'https://graph.example.test';

/** GraphHttp over a scripted fetch with a virtual clock: sleeps advance time instead of waiting. */
export function harness(answers: Answer[], maxRetries = 3) {
  const { fetch, seen } = scriptedFetch(answers);
  const sleeps: number[] = [];
  let t = Date.UTC(2025, 0, 1);
  const http = new GraphHttp({
    baseUrl: BASE,
    tokens: { getToken: () => Promise.resolve('tok-123') },
    fetch,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    now: () => t,
    random: () => 0.5,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries },
    writes: UNLIMITED,
    timeoutMs: 5_000,
    maxConcurrency: 2,
  });
  return { http, seen, sleeps, now: () => t };
}
