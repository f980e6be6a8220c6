/**
 * Where each pod stood at the end of a page.
 *
 * The marker a client sends back is an ordinary resource id (clients depend on that), which
 * lives in one pod. That pod can continue after it natively; every other pod needs a marker of
 * its own that sorts at or before it. Nova asks each cell's database for one
 * (`instance_get_by_sort_filters`); a gateway cannot. So when a page ends at id X, the gateway
 * remembers, per pod, the last item it consumed from that pod up to X: the next page, asked
 * with marker X, starts every pod there. Without an entry (another gateway process made the
 * page, or it expired) a pod is read from its start and everything up to X is skipped: correct,
 * only slower. Entries are bounded (LRU) and expire.
 */

/** @default 10000 entries */
export const CURSOR_CACHE_SIZE = 10_000;
/** @default 15 minutes */
export const CURSOR_TTL_MS = 15 * 60_000;

/** podId → the id to pass as that pod's marker, or null for "from the start". */
export type PodPositions = ReadonlyMap<string, string | null>;

interface Entry {
  positions: PodPositions;
  at: number;
}

export class CursorCache {
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(opts: { size?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#max = opts.size ?? CURSOR_CACHE_SIZE;
    this.#ttlMs = opts.ttlMs ?? CURSOR_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * @param query the list's identity: caller's project, resource type and every parameter but
   *   limit and marker (a different filter or order means different positions)
   * @param marker the id the page ended at
   */
  get(query: string, marker: string): PodPositions | undefined {
    const key = `${query}\n${marker}`;
    const e = this.#entries.get(key);
    if (!e || this.#now() - e.at > this.#ttlMs) {
      if (e) this.#entries.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return e.positions;
  }

  set(query: string, marker: string, positions: PodPositions): void {
    const key = `${query}\n${marker}`;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { positions, at: this.#now() });
  }

  /** Forget every position (pods changed; tests). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
