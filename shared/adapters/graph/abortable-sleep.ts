import { ensureError } from '../../ports/index.js';

// Waits that end the moment the run is aborted. A retry's backoff or an export job's poll interval can be
// seconds long; an aborted run must not sit in one and then send the next request anyway.

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A real timer that is cleared (and resolves) on abort, so an aborted run leaves no timer behind. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * `sleep(ms)` that rejects with the abort reason as soon as `signal` aborts (whatever `sleep` does with it).
 * The listeners go on a signal of this wait's own (AbortSignal.any does not listen to its sources): a run's
 * signal shared by many waiting reads collects none (Node warns past 10 listeners on one signal).
 */
export function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  const own = AbortSignal.any([signal]);
  // A sleep that resolves on abort (timerSleep does) must not pass for a finished wait.
  return unlessAborted(sleep(ms, own), own).then(() => {
    if (own.aborted) throw abortReason(own);
  });
}

/**
 * `promise`, or its rejection with the abort reason as soon as `signal` aborts, whichever comes first. The work
 * behind `promise` goes on (another caller may share it); only this caller stops waiting for it.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  const own = AbortSignal.any([signal]);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(own));
    own.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        own.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        own.removeEventListener('abort', onAbort);
        reject(ensureError(err));
      },
    );
  });
}

/** What an aborted read throws: the reason the run was aborted with (an Error), or a plain AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('The read was aborted', 'AbortError');
}
