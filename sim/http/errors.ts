/**
 * Graph error shapes. Clients must branch on `error.code`, so codes follow what Graph sends for
 * each service: Intune (deviceManagement) uses plain codes (`BadRequest`, `ResourceNotFound`),
 * the directory (groups, devices, servicePrincipals) uses `Request_*` codes.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorIds {
  requestId: string;
  clientRequestId: string;
  date: string;
}

export function errorBody(code: string, message: string, ids: ErrorIds): unknown {
  return {
    error: {
      code,
      message,
      innerError: { date: ids.date, 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

/** Default error code for a status produced by a fault or a limiter. */
export function defaultCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'InvalidAuthenticationToken';
    case 403:
      return 'Authorization_RequestDenied';
    case 404:
      return 'ResourceNotFound';
    case 409:
      return 'Conflict';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalServerError';
    case 502:
      return 'BadGateway';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'GatewayTimeout';
    default:
      return 'UnknownError';
  }
}

export function defaultMessageFor(status: number): string {
  switch (status) {
    case 401:
      return 'Access token validation failure. Invalid audience.';
    case 403:
      return 'Insufficient privileges to complete the operation.';
    case 429:
      return 'Too many requests. Please retry after the time given in the Retry-After header.';
    case 503:
      return 'The service is currently unavailable. Please retry later.';
    case 504:
      return 'The gateway timed out waiting for the upstream service.';
    default:
      return 'An error occurred while processing the request.';
  }
}

export const badRequest = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

/** Directory flavour of "no such object". */
export const directoryNotFound = (id: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** Intune flavour of "no such entity". */
export const intuneNotFound = (type: string, id: string): GraphError =>
  new GraphError(404, 'ResourceNotFound', `${type} with id '${id}' was not found.`);
