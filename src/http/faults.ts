/**
 * Fault bodies in Nova's and Cinder's shape: `{"itemNotFound": {"code": 404, "message": "..."}}`.
 * Both services build faults with the same webob table (nova/api/openstack/wsgi.py Fault,
 * cinder/api/openstack/wsgi.py Fault), so one table serves the three listeners.
 */
import type { Context } from 'hono';
import { ApiError, ClientAbortedError } from './errors';

export const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  422: 'unprocessableEntity',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function faultBody(status: number, message: string): Record<string, { code: number; message: string }> {
  return { [FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } };
}

/** A fault as status, body and headers, for a caller that writes the response itself. */
export interface FaultParts {
  status: number;
  body: Record<string, Record<string, unknown>>;
  headers: Record<string, string>;
}

/**
 * A fault; the status decides the fault's name. An over-limit fault (413, 429) with a
 * `Retry-After` header also carries it as `retryAfter`, as both services' Fault does.
 */
export function faultParts(status: number, message: string, headers: Record<string, string> = {}): FaultParts {
  const body: Record<string, Record<string, unknown>> = faultBody(status, message);
  const retry = headers['Retry-After'];
  if ((status === 413 || status === 429) && retry !== undefined) body[FAULT_NAMES[status]!]!.retryAfter = retry;
  return { status, body, headers };
}

/** Writes a fault response (see faultParts). */
export function fault(c: Context, status: number, message: string, headers: Record<string, string> = {}): Response {
  const f = faultParts(status, message, headers);
  for (const [k, v] of Object.entries(f.headers)) c.header(k, v);
  return c.json(f.body, status as 400);
}

export interface ErrorLogger {
  error(event: string, fields: Record<string, unknown>): void;
  info(event: string, fields: Record<string, unknown>): void;
}

/**
 * The status recorded (access log, metrics) for a request whose client went away before it was
 * answered: nginx's 499 "client closed request". It is never sent (nobody is left to read it);
 * it keeps client hang-ups out of the 5xx the gateway and the pods are accountable for.
 */
export const CLIENT_CLOSED_REQUEST = 499;

/** Turns an error of the layers below into a client-facing one; undefined when it does not know it. */
export type ErrorTranslator = (err: Error) => ApiError | undefined;

/**
 * The single `onError` of every listener. A client that went away → 499, logged as
 * `client_aborted`; ApiError → its fault; a domain error → the fault `translate` gives it; a body
 * too large → 413; anything unexpected → a logged 500 carrying the request id, never a stack trace.
 */
export function onError(log?: ErrorLogger, translate?: ErrorTranslator) {
  return function renderError(err: Error, c: Context): Response {
    const requestId = c.res.headers.get('x-openstack-request-id') ?? (c.get('requestId' as never) as string | undefined);
    const f = errorFault(err, { aborted: c.req.raw.signal.aborted, requestId, log, translate });
    return fault(c, f.status, f.message, f.headers);
  };
}

/**
 * What `onError` answers for `err`, for a listener that renders it without a Hono context:
 * a client that went away (`aborted`, or a ClientAbortedError) → 499 logged as `client_aborted`,
 * ApiError → its fault, a domain error → `translate`, a 4xx-carrying error → its status, anything
 * else → a logged 500 naming `requestId`.
 */
export function errorFault(
  err: Error,
  o: { aborted: boolean; requestId?: string; log?: ErrorLogger; translate?: ErrorTranslator },
): { status: number; message: string; headers?: Record<string, string> } {
  if (err instanceof ClientAbortedError || o.aborted) {
    o.log?.info('client_aborted', { request_id: o.requestId, error: err.name });
    return { status: CLIENT_CLOSED_REQUEST, message: 'The client closed the connection before it was answered.' };
  }
  const known = err instanceof ApiError ? err : o.translate?.(err);
  if (known) return { status: known.status, message: known.message, headers: known.headers };
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, message: err.message || 'Bad request' };
  o.log?.error('unhandled_error', { request_id: o.requestId, error: err.name, message: err.message });
  return { status: 500, message: `Unexpected API Error. Request ${o.requestId ?? ''} failed; the gateway logged the details.`.replace('  ', ' ') };
}

/** 404 in the fault shape for paths no route knows. */
export function notFoundHandler(c: Context): Response {
  return fault(c, 404, 'The resource could not be found.');
}
