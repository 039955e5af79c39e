// The request and reply shapes of GraphHttp, on their own so the read batcher can use them without importing
// GraphHttp (which builds the batcher).

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphCall {
  readonly method: HttpMethod;
  /** `/v1.0/...` or `/beta/...` relative to the base URL, or an absolute URL from Graph (a nextLink). */
  readonly target: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** false: exactly one attempt, whatever comes back. */
  readonly retry?: boolean;
  /** Human description for errors and logs, e.g. "GET windowsAutopilotSettings". */
  readonly what: string;
  /** A POST that changes nothing (a $batch of reads): it takes no slot of the write budget. */
  readonly readOnly?: boolean;
  /** false: sent on its own even when read batching is on (see ListRequest.pagesAlone). */
  readonly batch?: boolean;
  /**
   * The run's abort signal: once it fires, the request in flight is cancelled, a retry's wait ends, and no
   * further attempt is made; the call rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

export interface GraphReply {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Headers;
  /** Graph's `request-id` header: quoted in history and support tickets. */
  readonly requestId: string | null;
  readonly clientRequestId: string;
  readonly text: string;
  /** The body already parsed, when it arrived parsed (an item of a JSON batch); otherwise parse `text`. */
  readonly json?: unknown;
  readonly url: string;
}
