// Fault injection for a simulated pod: delays, canned statuses and hangs, applied to the
// requests that match. ('down' is not here: it closes the listener, see pod.ts.)
// Faults run before any service handler, so an injected 500 looks exactly like a sick pod.
import type { SimFault, SimMatch } from './service-env';

type ActiveFault = Exclude<SimFault, { kind: 'down' }>;

export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'status'; delayMs: number; status: number; body: unknown; raw?: string }
  | { kind: 'hang'; delayMs: number };

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

  /**
   * Decide what happens to one request. Delays add up; the first matching status or hang
   * wins. A status fault with `times` is consumed and removed when it reaches zero.
   */
  decide(method: string, path: string): FaultDecision {
    let delayMs = 0;
    for (const f of this.#faults) {
      if (f.kind === 'delay' && matches(f.match, method, path)) delayMs += f.ms;
    }
    for (const f of this.#faults) {
      if (!matches(f.match, method, path)) continue;
      if (f.kind === 'hang') return { kind: 'hang', delayMs };
      if (f.kind === 'status') {
        if (f.times !== undefined) {
          f.times -= 1;
          if (f.times <= 0) this.#faults = this.#faults.filter((x) => x !== f);
        }
        return { kind: 'status', delayMs, status: f.status, body: f.body ?? defaultFaultBody(f.status), raw: f.raw };
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
