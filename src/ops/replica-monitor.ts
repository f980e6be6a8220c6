/**
 * Watches an embedded replica: when it last synced from its primary and whether it can reach
 * it. libSQL's own periodic sync (syncInterval) reports nothing, so the monitor runs its own
 * `sync()` off the request path every `intervalMs` (0.4 ms when nothing is new, platform notes
 * §1) and records the outcome. A sync against an unreachable primary rejects after ~3 s; the
 * replica counts as detached after one failure, and re-attaches on the next success.
 */
export interface ReplicaStatus {
  /** ms since epoch of the last successful sync; null before the first one. */
  lastSyncAt: number | null;
  detached: boolean;
  lastError?: string;
}

export interface ReplicaMonitorOptions {
  sync: () => Promise<unknown>;
  /** @default 5000 */
  intervalMs?: number;
  /** Called when the replica detaches or re-attaches (for the log). */
  onChange?: (status: ReplicaStatus) => void;
}

export class ReplicaMonitor {
  readonly #sync: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onChange?: (s: ReplicaStatus) => void;
  #status: ReplicaStatus = { lastSyncAt: null, detached: false };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(opts: ReplicaMonitorOptions) {
    this.#sync = opts.sync;
    this.#intervalMs = opts.intervalMs ?? 5_000;
    this.#onChange = opts.onChange;
  }

  /** The store was just opened and synced. */
  markSynced(at = Date.now()): void {
    this.#status = { lastSyncAt: at, detached: false };
  }

  status(): ReplicaStatus {
    return this.#status;
  }

  /** One sync now (tests, and the timer). Never throws. */
  check(): Promise<void> {
    this.#running ??= this.#sync()
      .then(
        () => this.#set({ lastSyncAt: Date.now(), detached: false }),
        (err: unknown) => this.#set({ lastSyncAt: this.#status.lastSyncAt, detached: true, lastError: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.check(), this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #set(next: ReplicaStatus): void {
    const changed = next.detached !== this.#status.detached;
    this.#status = next;
    if (changed) this.#onChange?.(next);
  }
}
