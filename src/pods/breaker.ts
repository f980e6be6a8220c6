/**
 * A circuit breaker per pod. After `threshold` consecutive failed calls the pod's circuit
 * opens for `cooldownMs`, and calls fail fast instead of each waiting out a deadline; then
 * one probe call is let through (half-open): success closes the circuit, failure re-opens it.
 *
 * A failure is a transport failure (unreachable, timeout, malformed reply before the body)
 * or a 502/503/504 from the pod: the pod or something in front of it is unwell. Other statuses, 4xx and 500 included, count as
 * success: the pod answered, and a 500 is about the request, not the pod's reachability.
 * The clock is injectable so tests need no sleeps.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  threshold?: number;
  /** How long an open circuit rejects calls before a probe. @default 30000 */
  cooldownMs?: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Called on every state change (metrics, logs). */
  onChange?: (podId: string, from: BreakerState, to: BreakerState) => void;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** When the circuit last opened (ms since epoch of the injected clock). */
  openedAt?: number;
}

interface Circuit {
  state: BreakerState;
  failures: number;
  openedAt: number;
  /** When the half-open probe was let through; 0 when none is out. */
  probeAt: number;
}

/** Statuses that count as the pod failing, not the request. */
export function isFailureStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onChange?: (podId: string, from: BreakerState, to: BreakerState) => void;
  readonly #circuits = new Map<string, Circuit>();

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.threshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
    if (!Number.isInteger(this.#threshold) || this.#threshold < 1) {
      throw new TypeError('breakerThreshold must be a positive integer');
    }
    if (!Number.isInteger(this.#cooldownMs) || this.#cooldownMs < 0) {
      throw new TypeError('breakerCooldownMs must be a positive integer or zero');
    }
  }

  /** The pod's state as a caller would see it now (an expired open circuit reads half-open). */
  state(podId: string): BreakerState {
    const c = this.#circuits.get(podId);
    if (!c) return 'closed';
    if (c.state === 'open' && this.#now() - c.openedAt >= this.#cooldownMs) return 'half-open';
    return c.state;
  }

  /**
   * Ask to send a call. False means fail fast. In half-open exactly one caller gets true (the
   * probe) until it reports; a probe that never reports is replaced after one cooldown.
   */
  tryAcquire(podId: string): boolean {
    const c = this.#circuits.get(podId);
    if (!c || c.state === 'closed') return true;
    const now = this.#now();
    if (c.state === 'open') {
      if (now - c.openedAt < this.#cooldownMs) return false;
      this.#set(podId, c, 'half-open');
      c.probeAt = now;
      return true;
    }
    if (c.probeAt !== 0 && now - c.probeAt < this.#cooldownMs) return false;
    c.probeAt = now;
    return true;
  }

  /** The pod answered normally. */
  onSuccess(podId: string): void {
    const c = this.#circuits.get(podId);
    if (!c) return;
    c.failures = 0;
    c.probeAt = 0;
    if (c.state !== 'closed') this.#set(podId, c, 'closed');
  }

  /** The pod failed (transport failure or 502/503/504). */
  onFailure(podId: string): void {
    let c = this.#circuits.get(podId);
    if (!c) this.#circuits.set(podId, (c = { state: 'closed', failures: 0, openedAt: 0, probeAt: 0 }));
    c.failures += 1;
    c.probeAt = 0;
    if (c.state === 'half-open' || (c.state === 'closed' && c.failures >= this.#threshold)) {
      c.openedAt = this.#now();
      this.#set(podId, c, 'open');
    }
  }

  /** The call ended without telling anything about the pod (caller hung up, no endpoint). */
  onNeutral(podId: string): void {
    const c = this.#circuits.get(podId);
    if (c) c.probeAt = 0;
  }

  /** Forget a pod (deleted by an admin). */
  forget(podId: string): void {
    this.#circuits.delete(podId);
  }

  /** Every pod with a non-trivial history, for metrics. */
  snapshot(): Record<string, BreakerSnapshot> {
    const out: Record<string, BreakerSnapshot> = {};
    for (const [podId, c] of this.#circuits) {
      out[podId] = {
        state: this.state(podId),
        consecutiveFailures: c.failures,
        ...(c.state === 'closed' ? {} : { openedAt: c.openedAt }),
      };
    }
    return out;
  }

  #set(podId: string, c: Circuit, to: BreakerState): void {
    const from = c.state;
    c.state = to;
    this.#onChange?.(podId, from, to);
  }
}
