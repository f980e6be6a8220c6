/**
 * Watches an embedded replica's link to its sqld primary, for /healthcheck and /metrics.
 *
 * It must never call the client's `sync()`: measured here, an explicit sync() against an
 * unreachable primary BLOCKS the event loop for the 3 s handshake timeout (the background
 * sync driven by `syncInterval` does not). So the monitor probes the primary's HTTP `/health`
 * endpoint instead, off the request path, every `intervalMs`. While the primary answers, the
 * client's background sync runs every sync_interval, so the replica is at most
 * (time since the last good probe + sync_interval) behind: that is the sync age reported.
 */
export interface ReplicaStatus {
  /** ms since epoch when the primary was last confirmed reachable; null before the first time. */
  lastSyncAt: number | null;
  detached: boolean;
  lastError?: string;
}

export interface ReplicaMonitorOptions {
  /** Resolves when the primary is reachable; see `primaryHealthProbe`. */
  probe: () => Promise<unknown>;
  /** @default 5000 */
  intervalMs?: number;
  /** Called when the replica detaches or re-attaches (for the log). */
  onChange?: (status: ReplicaStatus) => void;
}

/** How long one probe of the primary may take. */
export const PRIMARY_PROBE_TIMEOUT_MS = 2_000;

/** A probe of sqld's `/health` (no credentials sent) at the replica's sync URL. */
export function primaryHealthProbe(syncUrl: string, timeoutMs = PRIMARY_PROBE_TIMEOUT_MS): () => Promise<void> {
  const u = new URL(syncUrl);
  // libsql:// and wss:// are TLS, ws:// is plain: sqld serves /health on the same HTTP port.
  const scheme = u.protocol === 'http:' || u.protocol === 'ws:' ? 'http:' : 'https:';
  const url = `${scheme}//${u.host}/health`;
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`primary /health answered ${res.status}`);
  };
}

export class ReplicaMonitor {
  readonly #probe: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onChange?: (s: ReplicaStatus) => void;
  #status: ReplicaStatus = { lastSyncAt: null, detached: false };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(opts: ReplicaMonitorOptions) {
    this.#probe = opts.probe;
    this.#intervalMs = opts.intervalMs ?? 5_000;
    this.#onChange = opts.onChange;
  }

  /** The store was just opened (and synced once). */
  markSynced(at = Date.now()): void {
    this.#status = { lastSyncAt: at, detached: false };
  }

  status(): ReplicaStatus {
    return this.#status;
  }

  /** One probe now (the timer, and tests). Never throws. */
  check(): Promise<void> {
    this.#running ??= this.#probe()
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
