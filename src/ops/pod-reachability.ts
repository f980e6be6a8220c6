/**
 * Which pods the gateway can reach, learnt from the calls it already makes (no probes): the
 * last outcome the pod client observed per pod, overridden by an open circuit breaker. A pod
 * never called yet counts as reachable, so a fresh gateway is not reported unhealthy.
 */
import type { BreakerState, PodErrorCode, PodObserver, ServiceType } from '../pods';

/** Error codes that mean the pod itself could not be reached or answered badly. */
const DOWN_CODES: ReadonlySet<string> = new Set(['TRIO2O_POD_UNREACHABLE', 'TRIO2O_POD_TIMEOUT', 'TRIO2O_POD_BAD_RESPONSE', 'TRIO2O_POD_NO_ENDPOINT', 'TRIO2O_POD_CIRCUIT_OPEN']);
/** Gateway-class statuses: something in front of the pod or the pod itself is unwell (as the breaker counts them). */
const DOWN_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** The last time a pod looked down: what failed, on which service, when (ISO-8601 UTC). */
export interface PodFailure {
  /** A `PodError` code, or `HTTP <status>` for a 502/503/504 answer. */
  error: string;
  service: ServiceType;
  at: string;
}

export class PodReachability {
  readonly #down = new Map<string, boolean>();
  readonly #lastFailure = new Map<string, PodFailure>();
  readonly #breaker: (podId: string) => BreakerState;
  readonly #now: () => number;

  /**
   * @param breaker the pod client's breaker state (PodClient.breakerState)
   * @param now clock for failure times. @default Date.now
   */
  constructor(breaker: (podId: string) => BreakerState = () => 'closed', now: () => number = Date.now) {
    this.#breaker = breaker;
    this.#now = now;
  }

  readonly observer: PodObserver = {
    onResponse: (podId: string, service: ServiceType, status: number) => {
      const down = DOWN_STATUSES.has(status);
      this.#down.set(podId, down);
      if (down) this.#fail(podId, service, `HTTP ${status}`);
    },
    onError: (podId: string, service: ServiceType, code: PodErrorCode | 'CLIENT_ABORTED') => {
      // The caller hanging up says nothing about the pod.
      if (!DOWN_CODES.has(code)) return;
      this.#down.set(podId, true);
      this.#fail(podId, service, code);
    },
  };

  #fail(podId: string, service: ServiceType, error: string): void {
    this.#lastFailure.set(podId, { error, service, at: new Date(this.#now()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  }

  /** The pod's most recent failure seen by this process (kept after it recovers), or null. */
  lastFailure(podId: string): PodFailure | null {
    return this.#lastFailure.get(podId) ?? null;
  }

  reachable(podId: string): boolean {
    if (this.#breaker(podId) === 'open') return false;
    return this.#down.get(podId) !== true;
  }

  /** Forget a pod (deleted, or its endpoints edited). */
  forget(podId: string): void {
    this.#down.delete(podId);
    this.#lastFailure.delete(podId);
  }
}

/** One observer that feeds several (metrics, reachability). */
export function teeObserver(...observers: PodObserver[]): PodObserver {
  return {
    onResponse(podId, service, status, ms) {
      for (const o of observers) o.onResponse(podId, service, status, ms);
    },
    onError(podId, service, code, ms) {
      for (const o of observers) o.onError(podId, service, code, ms);
    },
  };
}
