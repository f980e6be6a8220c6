/**
 * The one client-facing error class. Handlers throw it; `onError` (faults.ts) renders it in the
 * service's fault shape. Anything else that escapes becomes a logged 500 without a stack trace.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.headers = options?.headers ?? {};
  }
}

/**
 * The client went away before it was answered: its request body stopped arriving, or its
 * connection closed while the gateway waited for a pod. Nobody failed; `onError` logs it as a
 * client abort and records status 499 (CLIENT_CLOSED_REQUEST), never a 500.
 */
export class ClientAbortedError extends Error {
  readonly code = 'TRIO2O_CLIENT_ABORTED';
  constructor(message = 'The client closed the connection before it was answered.', options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClientAbortedError';
  }
}

/**
 * The error to throw for an aborted signal: its reason when that is an Error, else a
 * ClientAbortedError (Node's HTTP server aborts a request's signal with a string reason, and a
 * thrown string would pass every error handler by).
 */
export function abortError(signal: { readonly reason: unknown }): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new ClientAbortedError(undefined, { cause: reason });
}

export const badRequest = (message: string) => new ApiError(400, message);
export const unauthorized = (message = 'The request you have made requires authentication.', headers?: Record<string, string>) =>
  new ApiError(401, message, { headers });
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const unprocessable = (message: string) => new ApiError(422, message);
export const serviceUnavailable = (message: string, cause?: unknown) => new ApiError(503, message, { cause });
