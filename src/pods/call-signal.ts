/**
 * A light abort signal for one forwarded call. undici takes any object with `aborted`, `reason`
 * and `addEventListener`/`removeEventListener` (or an EventEmitter) as a request's `signal`; an
 * AbortController's AbortSignal is a full EventTarget, which costs several microseconds to create
 * and to listen on, and a forwarded call needs one for its deadline and one for the client's
 * hang-up. This one is an EventEmitter with that surface.
 */
import { EventEmitter } from 'node:events';

/** What the pod client reads from a caller's signal: an AbortSignal, or a `CallSignal`. */
export interface CallerSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class CallSignal extends EventEmitter implements CallerSignal {
  aborted = false;
  reason: unknown = undefined;

  /** Aborts once; later calls do nothing (as AbortController#abort). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  /** Listeners run once, on abort (the only event). */
  addEventListener(_type: 'abort', listener: () => void): void {
    this.once('abort', listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.removeListener('abort', listener);
  }
}
