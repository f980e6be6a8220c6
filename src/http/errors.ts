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

export const badRequest = (message: string) => new ApiError(400, message);
export const unauthorized = (message = 'The request you have made requires authentication.', headers?: Record<string, string>) =>
  new ApiError(401, message, { headers });
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const unprocessable = (message: string) => new ApiError(422, message);
export const serviceUnavailable = (message: string, cause?: unknown) => new ApiError(503, message, { cause });
