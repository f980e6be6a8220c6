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

/**
 * Writes a fault response; the status decides the fault's name. An over-limit fault (413, 429)
 * with a `Retry-After` header also carries it as `retryAfter`, as both services' Fault does.
 */
export function fault(c: Context, status: number, message: string, headers: Record<string, string> = {}): Response {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  const body: Record<string, Record<string, unknown>> = faultBody(status, message);
  const retry = headers['Retry-After'];
  if ((status === 413 || status === 429) && retry !== undefined) body[FAULT_NAMES[status]!]!.retryAfter = retry;
  return c.json(body, status as 400);
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
    if (err instanceof ClientAbortedError || c.req.raw.signal.aborted) {
      log?.info('client_aborted', { request_id: c.get('requestId' as never) as string | undefined, error: err.name });
      return fault(c, CLIENT_CLOSED_REQUEST, 'The client closed the connection before it was answered.');
    }
    const known = err instanceof ApiError ? err : translate?.(err);
    if (known) return fault(c, known.status, known.message, known.headers);
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return fault(c, status, err.message || 'Bad request');
    const requestId = c.res.headers.get('x-openstack-request-id') ?? (c.get('requestId' as never) as string | undefined);
    log?.error('unhandled_error', { request_id: requestId, error: err.name, message: err.message });
    return fault(c, 500, `Unexpected API Error. Request ${requestId ?? ''} failed; the gateway logged the details.`.replace('  ', ' '));
  };
}

/** 404 in the fault shape for paths no route knows. */
export function notFoundHandler(c: Context): Response {
  return fault(c, 404, 'The resource could not be found.');
}
