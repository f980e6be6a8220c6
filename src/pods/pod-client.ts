/**
 * The pod client: the one way the gateway talks to bottom pods. It stacks the layers below —
 * circuit breaker (fail fast) → endpoint resolution → URL building → header allow-list →
 * forward (deadline, retries) on a per-origin pool — and reports every outcome to the
 * breaker, the resolver (invalidate on connect failure) and the metrics observer.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { abortError } from '../http';
import type { CallerSignal } from './call-signal';
import { CircuitBreaker, isFailureStatus, type BreakerSnapshot, type BreakerState } from './breaker';
import { PodError, isPodError, toPodError } from './errors';
import { forward } from './forward';
import { forwardRequestHeaders, responseHeaders } from './headers';
import { podRootTarget, podTarget, type PodTarget } from './pod-url';
import { PoolRegistry } from './pools';
import type { PodObserver, PodRef, PodRequestOptions, PodResponse, ServiceType } from './types';

/** What the client needs from endpoint resolution; `EndpointResolver` is the implementation. */
export interface EndpointSource {
  resolve(pod: PodRef, service: ServiceType): Promise<string>;
  /** What `resolve` would give without waiting (memory), if anything: spares the call a promise. */
  known?(pod: PodRef, service: ServiceType): string | undefined;
  invalidate(podId: string): Promise<unknown>;
}

/** Deadline of one forwarded call (`[pods] request_timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Sockets per pod endpoint origin (`[pods] connections`). */
export const DEFAULT_CONNECTIONS = 64;
/** Consecutive failures that open a pod's breaker (`[pods] breaker_threshold`). */
export const DEFAULT_BREAKER_THRESHOLD = 5;
/** How long an open breaker fails fast (`[pods] breaker_cooldown`). */
export const DEFAULT_BREAKER_COOLDOWN_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000;

export interface PodClientOptions {
  /** Deadline of one call, retries included, to response headers; also the body idle timeout. @default 30000 */
  requestTimeoutMs?: number;
  /** Sockets per pod endpoint origin. @default 64 */
  connections?: number;
  /** Consecutive pod failures that open its circuit. @default 5 */
  breakerThreshold?: number;
  /** How long an open circuit fails fast before one probe. @default 30000 */
  breakerCooldownMs?: number;
  /** Retries of an idempotent call after a connect-level failure or a short 503 Retry-After. @default 2 */
  retries?: number;
  /** TCP/TLS connect timeout per attempt. @default 10000 */
  connectTimeoutMs?: number;
  /** Idle keep-alive of pooled sockets. @default 4000 */
  keepAliveTimeoutMs?: number;
  resolver: EndpointSource;
  observer?: PodObserver;
  /** Breaker state changes (logs, metrics). */
  onBreakerChange?: (podId: string, from: BreakerState, to: BreakerState) => void;
  /** Breaker clock, injectable for tests. @default Date.now */
  now?: () => number;
}

/** Methods that are idempotent by definition (RFC 9110 §9.2.2) and carry no body in practice. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be ${min === 0 ? 'a positive integer or zero' : 'a positive integer'}`);
  }
  return value;
}

/**
 * A pod's answer; helpers turn body failures into PodErrors. `json()` and `text()` must finish
 * by the call's deadline (`deadlineAt`): undici's bodyTimeout bounds each gap between chunks, so
 * a pod sending a few bytes at a time could otherwise hold a call (and a whole list) indefinitely.
 */
class PodResponseImpl implements PodResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Readable;
  readonly #data: Dispatcher.ResponseData;
  readonly #pod: PodRef;
  readonly #service: ServiceType;
  readonly #signal?: CallerSignal;
  readonly #deadlineAt: number;
  readonly endpoint: string;

  constructor(data: Dispatcher.ResponseData, pod: PodRef, service: ServiceType, endpoint: string, deadlineAt: number, signal?: CallerSignal) {
    this.status = data.statusCode;
    this.endpoint = endpoint;
    this.headers = responseHeaders(data.headers);
    this.body = data.body;
    this.#data = data;
    this.#pod = pod;
    this.#service = service;
    this.#deadlineAt = deadlineAt;
    this.#signal = signal;
  }

  json<T = unknown>(): Promise<T> {
    return this.#bounded(this.#data.body.json() as Promise<T>);
  }

  text(): Promise<string> {
    return this.#bounded(this.#data.body.text());
  }

  /** `read` (consuming the body), failed with TRIO2O_POD_TIMEOUT (body) once the deadline passes. */
  async #bounded<T>(read: Promise<T>): Promise<T> {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      this.#data.body.destroy();
    }, Math.max(0, this.#deadlineAt - Date.now()));
    try {
      return await read;
    } catch (err) {
      if (late && !this.#signal?.aborted) {
        throw new PodError('TRIO2O_POD_TIMEOUT', `Timed out reading the reply of pod ${this.#pod.podName}`, {
          podId: this.#pod.podId,
          podName: this.#pod.podName,
          service: this.#service,
          phase: 'body',
          cause: err,
        });
      }
      return this.#fail(err);
    } finally {
      clearTimeout(timer);
    }
  }

  async dump(): Promise<void> {
    try {
      await this.#data.body.dump();
    } catch {
      // Discarding a body that fails is still discarding it.
    }
  }

  #fail(err: unknown): never {
    if (this.#signal?.aborted) throw abortError(this.#signal);
    throw toPodError(err, this.#pod, 'body', { service: this.#service });
  }
}

export class PodClient {
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #resolver: EndpointSource;
  readonly #observer?: PodObserver;
  readonly #breaker: CircuitBreaker;
  readonly #pools: PoolRegistry;

  constructor(options: PodClientOptions) {
    const o = { ...options };
    this.#timeoutMs = positiveInt('requestTimeoutMs', o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    this.#retries = positiveInt('retries', o.retries ?? DEFAULT_RETRIES, 0);
    this.#resolver = o.resolver;
    this.#observer = o.observer;
    this.#breaker = new CircuitBreaker({
      threshold: o.breakerThreshold ?? DEFAULT_BREAKER_THRESHOLD,
      cooldownMs: o.breakerCooldownMs ?? DEFAULT_BREAKER_COOLDOWN_MS,
      now: o.now,
      onChange: o.onBreakerChange,
    });
    this.#pools = new PoolRegistry({
      connections: o.connections ?? DEFAULT_CONNECTIONS,
      connectTimeoutMs: positiveInt('connectTimeoutMs', o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
      keepAliveTimeoutMs: positiveInt('keepAliveTimeoutMs', o.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    });
  }

  /**
   * Forward one call to a pod and resolve at response headers. The body is a stream: pipe it,
   * or consume it with `json()`, `text()` or `dump()` so the socket returns to the pool.
   * @throws PodError (see `httpStatusFor`), or `abortError(opts.signal)` when the caller aborted
   * @example
   * const res = await pods.request({ pod, service: 'compute', method: 'GET',
   *   path: '/v2.1/p1/servers/x', projectId: 'p1', headers: req.headers, requestId });
   */
  async request(opts: PodRequestOptions): Promise<PodResponse> {
    const { pod, service } = opts;
    const started = performance.now();
    const timeoutMs = opts.timeoutMs === undefined ? this.#timeoutMs : positiveInt('timeoutMs', opts.timeoutMs);
    const deadlineAt = Date.now() + timeoutMs;
    try {
      if (!this.#breaker.tryAcquire(pod.podId)) {
        throw new PodError('TRIO2O_POD_CIRCUIT_OPEN', `Pod ${pod.podName} is unavailable (recent failures); try again later`, {
          podId: pod.podId,
          podName: pod.podName,
          service,
        });
      }
      const target = this.#target(opts, this.#resolver.known?.(pod, service) ?? (await this.#resolver.resolve(pod, service)));
      const method = opts.method.toUpperCase();
      const body = opts.body ?? null;
      const replayable = body === null || typeof body === 'string' || body instanceof Uint8Array;
      const idempotent = method !== 'POST' && (opts.idempotent ?? SAFE_METHODS.has(method));
      const { data } = await forward({
        pools: this.#pools,
        pod,
        service,
        target,
        method,
        headers: opts.authHeaders ? { ...forwardRequestHeaders(opts.headers, opts.requestId), ...opts.authHeaders } : forwardRequestHeaders(opts.headers, opts.requestId),
        body,
        timeoutMs,
        retries: this.#retries,
        retryable: idempotent && replayable,
        signal: opts.signal,
      });
      if (isFailureStatus(data.statusCode)) this.#breaker.onFailure(pod.podId);
      else this.#breaker.onSuccess(pod.podId);
      this.#observer?.onResponse(pod.podId, service, data.statusCode, performance.now() - started);
      return new PodResponseImpl(data, pod, service, target.endpoint, deadlineAt, opts.signal);
    } catch (err) {
      this.#settleFailure(pod, service, err, performance.now() - started, opts.signal);
      throw err;
    }
  }

  /** The pod's breaker state. */
  breakerState(podId: string): BreakerState {
    return this.#breaker.state(podId);
  }

  /** Breaker state of every pod that has failed recently, for /metrics. */
  breakerSnapshot(): Record<string, BreakerSnapshot> {
    return this.#breaker.snapshot();
  }

  /** Counters for /metrics. */
  stats(): { pools: number } {
    return { pools: this.#pools.size };
  }

  /** Forget a pod's breaker history (pod deleted or its endpoints edited). */
  forgetPod(podId: string): void {
    this.#breaker.forget(podId);
  }

  /** Graceful shutdown: in-flight calls finish, then every socket closes. */
  close(): Promise<void> {
    return this.#pools.close();
  }

  /** Hard shutdown: in-flight calls are aborted. */
  destroy(): Promise<void> {
    return this.#pools.destroy();
  }

  #target(opts: PodRequestOptions, endpoint: string): PodTarget & { endpoint: string } {
    try {
      const t = opts.versionRoot ? podRootTarget(endpoint) : podTarget(endpoint, opts.path, opts.search, opts.projectId);
      return { origin: t.origin, path: t.path, endpoint };
    } catch (err) {
      throw new PodError('TRIO2O_POD_NO_ENDPOINT', `The ${opts.service} endpoint of pod ${opts.pod.podName} is not a valid URL`, {
        podId: opts.pod.podId,
        podName: opts.pod.podName,
        service: opts.service,
        cause: err,
      });
    }
  }

  /** Tell the breaker, resolver and observer how a call that produced no response ended. */
  #settleFailure(pod: PodRef, service: ServiceType, err: unknown, ms: number, signal?: CallerSignal): void {
    if (!isPodError(err)) {
      // The caller hung up, or a bad argument: either way nothing was learnt about the pod.
      this.#breaker.onNeutral(pod.podId);
      if (signal?.aborted) this.#observer?.onError(pod.podId, service, 'CLIENT_ABORTED', ms);
      return;
    }
    switch (err.code) {
      case 'TRIO2O_POD_UNREACHABLE':
      case 'TRIO2O_POD_TIMEOUT':
      case 'TRIO2O_POD_BAD_RESPONSE':
        this.#breaker.onFailure(pod.podId);
        // The endpoint may have moved: let the catalog be consulted again (rate-limited there).
        if (err.phase === 'connect') this.#resolver.invalidate(pod.podId).catch(() => {});
        break;
      case 'TRIO2O_POD_NO_ENDPOINT':
        this.#breaker.onNeutral(pod.podId);
        break;
      case 'TRIO2O_POD_CIRCUIT_OPEN':
        break;
      default: {
        const unreachable: never = err.code;
        void unreachable;
      }
    }
    this.#observer?.onError(pod.podId, service, err.code, ms);
  }
}
