// Fault injection for a simulated pod: delays, canned statuses, hangs, resets, bodies that are
// not JSON, bodies cut short and bodies sent slowly, applied to the requests that match.
// ('down' is not here: it closes the listener, see pod.ts.) Faults run before any service
// handler (reset/close_mid_body/slow_body after it, when they need its answer), so an injected
// fault looks exactly like a sick pod or a broken network between the gateway and the pod.
import type { SimFault, SimMatch } from './service-env';

type ActiveFault = Exclude<SimFault, { kind: 'down' }>;

/** What happens to one request; every kind but `pass` replaces or alters the services' answer. */
export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'status'; delayMs: number; status: number; body: unknown; raw?: string; contentType: string }
  | { kind: 'hang'; delayMs: number }
  | { kind: 'reset'; delayMs: number; handled: boolean }
  | { kind: 'close_mid_body'; delayMs: number; bytes?: number }
  | { kind: 'slow_body'; delayMs: number; chunkDelayMs: number; chunkBytes: number };

/** Bytes per chunk of a `slow_body` fault when the fault names none. */
export const SLOW_BODY_CHUNK_BYTES = 16;

function matches(m: SimMatch | undefined, method: string, path: string): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path) {
    m.path.lastIndex = 0; // a /g regex must not carry state between requests
    if (!m.path.test(path)) return false;
  }
  return true;
}

/** The list of active faults of one pod, consulted once per request. */
export class FaultTable {
  #faults: ActiveFault[] = [];

  add(fault: ActiveFault): void {
    this.#faults.push({ ...fault });
  }

  clear(): void {
    this.#faults = [];
  }

  get size(): number {
    return this.#faults.length;
  }

  /** Counts one use of a fault with `times`, removing it when used up. */
  #consume(f: ActiveFault): void {
    if (f.times === undefined) return;
    f.times -= 1;
    if (f.times <= 0) this.#faults = this.#faults.filter((x) => x !== f);
  }

  /**
   * Decide what happens to one request. Delays add up; the first matching fault of any other
   * kind wins. A fault with `times` is consumed each time it applies and removed at zero.
   */
  decide(method: string, path: string): FaultDecision {
    let delayMs = 0;
    for (const f of [...this.#faults]) {
      if (f.kind === 'delay' && matches(f.match, method, path)) {
        delayMs += f.ms;
        this.#consume(f);
      }
    }
    for (const f of this.#faults) {
      if (f.kind === 'delay' || !matches(f.match, method, path)) continue;
      this.#consume(f);
      switch (f.kind) {
        case 'hang':
          return { kind: 'hang', delayMs };
        case 'status':
          return { kind: 'status', delayMs, status: f.status, body: f.body ?? defaultFaultBody(f.status), raw: f.raw, contentType: 'application/json' };
        case 'invalid_body':
          return { kind: 'status', delayMs, status: f.status ?? 200, body: undefined, raw: f.text, contentType: f.contentType ?? 'application/json' };
        case 'reset':
          return { kind: 'reset', delayMs, handled: f.after === 'handled' };
        case 'close_mid_body':
          return { kind: 'close_mid_body', delayMs, bytes: f.bytes };
        case 'slow_body':
          return { kind: 'slow_body', delayMs, chunkDelayMs: f.delayMs, chunkBytes: f.chunkBytes ?? SLOW_BODY_CHUNK_BYTES };
        default: {
          const unknown: never = f;
          throw new Error(`unknown fault ${JSON.stringify(unknown)}`);
        }
      }
    }
    return { kind: 'pass', delayMs };
  }
}

/** Nova-style fault body for an injected status without an explicit body. */
export function defaultFaultBody(status: number): unknown {
  if (status < 400) return undefined;
  const name = status === 503 ? 'serviceUnavailable' : status === 404 ? 'itemNotFound' : 'computeFault';
  return { [name]: { code: status, message: `Injected fault ${status}` } };
}
