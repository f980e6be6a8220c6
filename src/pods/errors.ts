/**
 * Pod-facing errors: one class with a literal `code`, the pod on every error, the phase of a
 * timeout, and the original undici/system error kept as `cause`. `httpStatusFor` is the one
 * table that turns them into gateway statuses; a pod problem is never a 500 (a broken pod is
 * a bad gateway, 502/503/504, not a defect of the gateway).
 */
import type { ServiceType } from './types';

export type PodErrorCode =
  | 'TRIO2O_POD_UNREACHABLE'
  | 'TRIO2O_POD_TIMEOUT'
  | 'TRIO2O_POD_BAD_RESPONSE'
  | 'TRIO2O_POD_CIRCUIT_OPEN'
  | 'TRIO2O_POD_NO_ENDPOINT';

/** Where a call was when it failed: opening the socket, waiting for headers, or reading the body. */
export type PodErrorPhase = 'connect' | 'headers' | 'body';

export interface PodErrorDetails {
  podId: string;
  podName: string;
  service?: ServiceType;
  phase?: PodErrorPhase;
  /** How many attempts were made (retries included), when a request was sent at all. */
  attempts?: number;
  cause?: unknown;
}

/** Messages are user-safe: they name the pod, never a URL, token or upstream error text. */
export class PodError extends Error {
  override readonly name = 'PodError';
  readonly code: PodErrorCode;
  readonly podId: string;
  readonly podName: string;
  readonly service?: ServiceType;
  readonly phase?: PodErrorPhase;
  readonly attempts?: number;

  constructor(code: PodErrorCode, message: string, details: PodErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.podId = details.podId;
    this.podName = details.podName;
    this.service = details.service;
    this.phase = details.phase;
    this.attempts = details.attempts;
  }
}

/** True for a PodError from any copy of this module (checked by shape, like undici's codes). */
export function isPodError(err: unknown): err is PodError {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; podId?: unknown };
  return typeof e.code === 'string' && e.code.startsWith('TRIO2O_POD_') && typeof e.podId === 'string';
}

/**
 * The gateway status for a pod failure: unreachable, circuit open or no endpoint → 503;
 * timeout (any phase) → 504; malformed or incomplete reply → 502.
 * @example httpStatusFor(err) // 504 for TRIO2O_POD_TIMEOUT
 */
export function httpStatusFor(err: PodError | PodErrorCode): 502 | 503 | 504 {
  const code = typeof err === 'string' ? err : err.code;
  switch (code) {
    case 'TRIO2O_POD_UNREACHABLE':
    case 'TRIO2O_POD_CIRCUIT_OPEN':
    case 'TRIO2O_POD_NO_ENDPOINT':
      return 503;
    case 'TRIO2O_POD_TIMEOUT':
      return 504;
    case 'TRIO2O_POD_BAD_RESPONSE':
      return 502;
    default: {
      const unreachable: never = code;
      throw new Error(`unknown pod error code ${String(unreachable)}`);
    }
  }
}

/**
 * A reply the gateway must read (to find an id, to rewrite an AZ) whose body is not JSON: an
 * invalid response (RFC 9110 §15.6.3), 502. Nova and Cinder answer JSON on every route the
 * gateway reads, so an HTML page or a cut JSON text comes from something broken on the way.
 */
export function notJsonReply(pod: { podId: string; podName: string }, service?: ServiceType, cause?: unknown): PodError {
  return new PodError('TRIO2O_POD_BAD_RESPONSE', `Malformed reply from pod ${pod.podName}: the body is not JSON`, {
    podId: pod.podId,
    podName: pod.podName,
    service,
    phase: 'body',
    cause,
  });
}

/**
 * True when a call certainly never reached the pod's application: the breaker failed it fast,
 * the pod has no endpoint, or connecting failed. Any other failure (no answer in time, a reset
 * after the request was sent, a reply cut short) leaves unknown whether the pod acted on it.
 */
export function neverReachedPod(err: unknown): boolean {
  if (!isPodError(err)) return false;
  switch (err.code) {
    case 'TRIO2O_POD_CIRCUIT_OPEN':
    case 'TRIO2O_POD_NO_ENDPOINT':
      return true;
    case 'TRIO2O_POD_UNREACHABLE':
    case 'TRIO2O_POD_TIMEOUT':
      return err.phase === 'connect';
    case 'TRIO2O_POD_BAD_RESPONSE':
      return false;
    default: {
      const unreachable: never = err.code;
      throw new Error(`unknown pod error code ${String(unreachable)}`);
    }
  }
}

/** Connect-level failures: nothing reached the pod's application, so a retry is safe. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Short, user-safe reasons for the system/undici codes we know. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the pod',
  UND_ERR_CLOSED: 'client is shutting down',
  UND_ERR_DESTROYED: 'client is shutting down',
};

/** undici and llhttp codes that mean the pod sent something that is not valid HTTP. */
const BAD_RESPONSE_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
]);

/** The `code` of an error from any undici copy or from Node's net/dns layer. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Wrap a transport error into a PodError by its `code` (never `instanceof`: another undici copy
 * may have thrown it). `phase` says what the caller was waiting for when it failed.
 */
export function toPodError(
  err: unknown,
  pod: { podId: string; podName: string },
  phase: PodErrorPhase,
  extra: { service?: ServiceType; attempts?: number } = {},
): PodError {
  if (isPodError(err)) return err;
  const code = errorCode(err) ?? '';
  const details: PodErrorDetails = { podId: pod.podId, podName: pod.podName, ...extra, phase, cause: err };
  const what = `pod ${pod.podName}`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new PodError('TRIO2O_POD_TIMEOUT', `Timed out connecting to ${what}`, { ...details, phase: 'connect' });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new PodError('TRIO2O_POD_TIMEOUT', `Timed out waiting for ${what} to answer`, { ...details, phase: 'headers' });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new PodError('TRIO2O_POD_TIMEOUT', `Timed out reading the reply of ${what}`, { ...details, phase: 'body' });
  }
  if (BAD_RESPONSE_CODES.has(code) || code.startsWith('HPE_') || err instanceof SyntaxError) {
    return new PodError('TRIO2O_POD_BAD_RESPONSE', `Malformed reply from ${what}`, details);
  }
  if (phase === 'body') {
    // The pod answered (status and headers arrived) and the connection failed before the body
    // ended: an incomplete reply is an invalid one (RFC 9110 §15.6.3, 502), not an unreachable pod.
    return new PodError('TRIO2O_POD_BAD_RESPONSE', `Incomplete reply from ${what}: the connection closed before the whole body arrived`, details);
  }
  const reason = REASONS[code] ?? 'connection failed';
  return new PodError('TRIO2O_POD_UNREACHABLE', `Cannot reach ${what} (${reason})`, details);
}
