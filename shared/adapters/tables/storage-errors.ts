import { RestError, type TableClient, type TableServiceClientOptions } from '@azure/data-tables';

import { StorageUnavailableError } from '../../ports/index.js';

// Storage that cannot be reached must fail fast and say so. The SDK's defaults retry a refused or reset
// connection for ~5 s and then surface "socket hang up"; a peer that accepts and never answers hangs forever
// (no request timeout by default). Every table operation therefore gets a deadline, a short retry budget, and a
// failure that names Table Storage.

/** One operation, retries included: table operations are small (≤ 4 MiB batches); the service's own limit is 30 s. */
export const STORAGE_REQUEST_TIMEOUT_MS = 15_000;

/** The SDK retries a failed request itself (exponential, jittered): ~1 s in total before it gives up. */
export const STORAGE_RETRY_OPTIONS: NonNullable<TableServiceClientOptions['retryOptions']> = {
  maxRetries: 2,
  retryDelayInMs: 250,
  maxRetryDelayInMs: 1_000,
};

/** No answer (connection refused/reset, DNS, timeout), or the service answered it is unavailable. */
function unavailable(err: unknown): string | null {
  if (!(err instanceof RestError) && !(err instanceof Error && err.name === 'AbortError')) return null;
  const status = err instanceof RestError ? err.statusCode : undefined;
  if (status === undefined) {
    const code = err instanceof RestError && err.code ? `${err.code}: ` : '';
    return `${code}${err.message}`;
  }
  return status === 500 || status === 502 || status === 503 || status === 504
    ? `HTTP ${status}: ${err.message.split('\n')[0] ?? ''}`
    : null;
}

/**
 * Added as a phase-less policy, so it runs OUTSIDE the SDK's retry policy: it sees only the final failure, and its
 * deadline bounds the whole operation, retries included (transactions share this pipeline, so they are covered).
 * The deadline is our own unref'd timer on the request's abort signal, not `request.timeout`: the SDK's HTTP client
 * leaves that timer running when the connection fails, which kept a failed CLI process alive for the full timeout.
 */
export function storageFailurePolicy(
  table: string,
  timeoutMs = STORAGE_REQUEST_TIMEOUT_MS,
): Parameters<TableClient['pipeline']['addPolicy']>[0] {
  return {
    name: 'autopilotMedicStorageFailure',
    async sendRequest(request, next) {
      const caller = request.abortSignal;
      const deadline = new AbortController();
      const follow = () => deadline.abort();
      if (caller?.aborted) deadline.abort();
      caller?.addEventListener('abort', follow);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort();
      }, timeoutMs);
      timer.unref();
      request.abortSignal = deadline.signal;
      try {
        return await next(request);
      } catch (err) {
        const detail = timedOut ? `no answer within ${timeoutMs} ms` : unavailable(err);
        if (detail === null) throw err;
        throw new StorageUnavailableError(table, detail, { cause: err });
      } finally {
        clearTimeout(timer);
        caller?.removeEventListener('abort', follow);
        request.abortSignal = caller;
      }
    },
  };
}
