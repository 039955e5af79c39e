// Reads started together share one abort signal: the first to fail aborts the others (an export job's polling,
// a list's next page or prefetch, a retry's wait), so a run that is already lost sends nothing more to Graph.

/** Promise.all that aborts `run` with the first failure, so every read under its signal stops at once. */
export function allOrAbort<T extends readonly unknown[] | []>(
  run: AbortController,
  reads: T,
): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  for (const read of reads) {
    Promise.resolve(read).catch((err: unknown) => {
      if (!run.signal.aborted) run.abort(err);
    });
  }
  return Promise.all(reads);
}

/** The signal the run's reads go under: the run's own, and the caller's when it gave one. */
export function runSignal(run: AbortController, caller: AbortSignal | undefined): AbortSignal {
  return caller ? AbortSignal.any([caller, run.signal]) : run.signal;
}
