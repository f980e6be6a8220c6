/**
 * Pods by id, from memory. The request path needs the owning pod of every routed id; reading
 * the pods table each time would double the store cost. The list is reloaded after an admin
 * change at this site (`invalidate`) and at most every `ttlMs` otherwise, so changes made at
 * another site (multi-site replicas) are seen within that time.
 */
import type { Pod, Store } from '../store';

/** @default 5000 ms */
const DEFAULT_TTL_MS = 5_000;

export class PodDirectory {
  readonly #store: Store;
  readonly #ttlMs: number;
  #pods: Map<string, Pod> | null = null;
  #loadedAt = 0;
  #loading: Promise<Map<string, Pod>> | null = null;

  constructor(store: Store, opts: { ttlMs?: number } = {}) {
    this.#store = store;
    this.#ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  async get(podId: string): Promise<Pod | undefined> {
    const pods = await this.#current();
    const pod = pods.get(podId);
    if (pod) return pod;
    // Unknown here but maybe created elsewhere a moment ago: one fresh read before saying no.
    return (await this.#reload()).get(podId);
  }

  /** The pod as `get` would find it without a read: undefined when not in memory or the list is stale. */
  cached(podId: string): Pod | undefined {
    return this.#pods && Date.now() - this.#loadedAt < this.#ttlMs ? this.#pods.get(podId) : undefined;
  }

  /** All pods in creation order. */
  async list(): Promise<Pod[]> {
    return [...(await this.#current()).values()];
  }

  /** Enabled bottom pods in creation order. */
  async bottoms(): Promise<Pod[]> {
    return (await this.list()).filter((p) => p.az_name !== '' && p.enabled);
  }

  invalidate(): void {
    this.#pods = null;
  }

  async #current(): Promise<Map<string, Pod>> {
    if (this.#pods && Date.now() - this.#loadedAt < this.#ttlMs) return this.#pods;
    return this.#reload();
  }

  #reload(): Promise<Map<string, Pod>> {
    this.#loading ??= this.#store.pods
      .list()
      .then((list) => {
        this.#pods = new Map(list.map((p) => [p.pod_id, p]));
        this.#loadedAt = Date.now();
        return this.#pods;
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }
}
