/**
 * One forwarded call with its deadline and retries, below the breaker and above the pools.
 *
 * Deadline: the whole way to response headers (pool queue, connect, retries, waiting) must fit
 * in `timeoutMs`; undici's own headersTimeout only starts once a socket is writing, so one
 * timer plus an AbortSignal bounds the rest. After headers, `bodyTimeout` bounds each gap
 * between body chunks, and the caller's signal stays linked until the body closes so a client
 * hang-up destroys the upstream body.
 *
 * Retries: only when the caller says the call is retryable (idempotent, replayable body), only
 * for connect-level errors (RETRYABLE_ERROR_CODES, classified by `code`) and for a 503 with a
 * short Retry-After. Never after the deadline would pass.
 */
import type { Dispatcher } from 'undici';
import { abortError } from '../http';
import { CallSignal, type CallerSignal } from './call-signal';
import { PodError, RETRYABLE_ERROR_CODES, errorCode, toPodError, type PodErrorPhase } from './errors';
import type { PodTarget } from './pod-url';
import type { PoolRegistry } from './pools';
import type { PodRef, PodRequestBody, ServiceType } from './types';

/** First retry waits about this long (jittered between half and all of it), doubling after. */
export const RETRY_BASE_DELAY_MS = 50;
/** Ceiling of one backoff step before jitter. */
export const RETRY_MAX_DELAY_MS = 1_000;
/** A 503 asking for a longer Retry-After than this goes back to the caller instead. */
export const RETRY_AFTER_MAX_MS = 5_000;

/** Codes that fail before any socket exists; everything else failed after connecting. */
const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface ForwardInput {
  pools: PoolRegistry;
  pod: PodRef;
  service: ServiceType;
  target: PodTarget;
  method: string;
  headers: Record<string, string>;
  body: PodRequestBody;
  timeoutMs: number;
  /** Retries allowed when `retryable` (attempts = retries + 1). */
  retries: number;
  /** Idempotent and with a replayable body. */
  retryable: boolean;
  signal?: CallerSignal;
}

export interface ForwardResult {
  data: Dispatcher.ResponseData;
  attempts: number;
}

/** Jittered exponential backoff for retry number `retry` (1-based). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (retry - 1));
  return Math.round(step * (0.5 + random() / 2));
}

/** Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in ms, or undefined if unusable. */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Waits `ms`, or rejects with the abort's reason as soon as `abort` fires. */
function sleep(ms: number, abort: CallSignal): Promise<void> {
  if (abort.aborted) return Promise.reject(abort.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abort.reason);
    };
    const timer = setTimeout(() => {
      abort.removeListener('abort', onAbort);
      resolve();
    }, ms);
    abort.once('abort', onAbort);
  });
}

/**
 * Send the call, retrying as allowed, and resolve at response headers.
 * @throws PodError for pod failures; `abortError(signal)` when the caller aborted
 */
export async function forward(input: ForwardInput): Promise<ForwardResult> {
  const { pod, service, target, signal } = input;
  if (signal?.aborted) throw abortError(signal);
  const deadline = Date.now() + input.timeoutMs;
  const ac = new CallSignal();
  let deadlineHit = false;
  const timer = setTimeout(() => {
    deadlineHit = true;
    ac.abort(new Error('pod call deadline reached'));
  }, input.timeoutMs);
  const onCallerAbort = () => ac.abort(signal!.reason);
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const unlink = () => signal?.removeEventListener('abort', onCallerAbort);

  let attempt = 0;
  try {
    for (;;) {
      attempt += 1;
      const canRetry = input.retryable && attempt <= input.retries;
      let data: Dispatcher.ResponseData;
      try {
        data = await input.pools.get(target.origin).request({
          path: target.path,
          method: input.method as Dispatcher.HttpMethod,
          headers: input.headers,
          body: input.body,
          signal: ac,
          headersTimeout: Math.max(1, deadline - Date.now()),
          bodyTimeout: input.timeoutMs,
        });
      } catch (err) {
        if (ac.aborted) throw err;
        const code = errorCode(err) ?? '';
        const phase: PodErrorPhase = CONNECT_PHASE_CODES.has(code) ? 'connect' : 'headers';
        const delay = backoffMs(attempt);
        if (!canRetry || !RETRYABLE_ERROR_CODES.has(code) || Date.now() + delay >= deadline) {
          throw toPodError(err, pod, phase, { service, attempts: attempt });
        }
        await sleep(delay, ac);
        continue;
      }
      if (data.statusCode === 503 && canRetry) {
        const wait = retryAfterMs(data.headers['retry-after']);
        if (wait !== undefined && wait <= RETRY_AFTER_MAX_MS && Date.now() + wait < deadline) {
          await data.body.dump();
          await sleep(wait, ac);
          continue;
        }
      }
      clearTimeout(timer);
      // Keep the caller's hang-up wired to the upstream body until the body is done.
      if (signal) data.body.once('close', unlink);
      return { data, attempts: attempt };
    }
  } catch (err) {
    clearTimeout(timer);
    unlink();
    if (signal?.aborted) throw abortError(signal);
    if (deadlineHit) {
      throw new PodError('TRIO2O_POD_TIMEOUT', `Timed out waiting for pod ${pod.podName} to answer`, {
        podId: pod.podId,
        podName: pod.podName,
        service,
        phase: 'headers',
        attempts: attempt,
        cause: err,
      });
    }
    throw err;
  }
}
