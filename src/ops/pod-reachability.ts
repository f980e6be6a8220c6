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

export class PodReachability {
  readonly #down = new Map<string, boolean>();
  readonly #breaker: (podId: string) => BreakerState;

  /** @param breaker the pod client's breaker state (PodClient.breakerState) */
  constructor(breaker: (podId: string) => BreakerState = () => 'closed') {
    this.#breaker = breaker;
  }

  readonly observer: PodObserver = {
    onResponse: (podId: string, _service: ServiceType, status: number) => {
      this.#down.set(podId, DOWN_STATUSES.has(status));
    },
    onError: (podId: string, _service: ServiceType, code: PodErrorCode | 'CLIENT_ABORTED') => {
      // The caller hanging up says nothing about the pod.
      if (DOWN_CODES.has(code)) this.#down.set(podId, true);
    },
  };

  reachable(podId: string): boolean {
    if (this.#breaker(podId) === 'open') return false;
    return this.#down.get(podId) !== true;
  }

  /** Forget a pod (deleted, or its endpoints edited). */
  forget(podId: string): void {
    this.#down.delete(podId);
  }
}

/** One observer that feeds several (metrics, reachability). */
export function teeObserver(...observers: PodObserver[]): PodObserver {
  return {
    onResponse: (...a) => observers.forEach((o) => o.onResponse(...a)),
    onError: (...a) => observers.forEach((o) => o.onError(...a)),
  };
}
