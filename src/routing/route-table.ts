/**
 * The routing table as the request path sees it: which pod owns an id.
 *
 * Completed routings never change (top_id == bottom_id, same pod until deleted), so they are
 * kept in a bounded in-memory map and the store is read only on a miss. Deletions go through
 * this class (or call `forget`) so the map never serves a removed row.
 */
import type { Routing, Store } from '../store';
import { isUnavailable } from '../store';
import { RoutingError } from './errors';

export type ResourceType = 'server' | 'volume' | 'snapshot' | 'backup' | 'attachment';

export interface RouteTableOptions {
  /** Entries kept in memory. @default 100000 */
  cacheSize?: number;
  /**
   * Called once on a miss before answering "unknown": a site replica syncs from the primary here,
   * so an id created at another site is found at once.
   */
  onMiss?: () => Promise<void>;
}

const DEFAULT_CACHE_SIZE = 100_000;

export class RouteTable {
  readonly #store: Store;
  readonly #cache = new Map<string, Routing>();
  readonly #max: number;
  readonly #onMiss?: () => Promise<void>;
  hits = 0;
  misses = 0;

  constructor(store: Store, opts: RouteTableOptions = {}) {
    this.#store = store;
    this.#max = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#onMiss = opts.onMiss;
  }

  /** The active routing of `topId` of `type`, or undefined. */
  async lookup(topId: string, type: ResourceType): Promise<Routing | undefined> {
    return this.#find(topId, type, true);
  }

  /**
   * Like `lookup`, but never triggers the miss hook: for checks over many ids a pod listed
   * (tenant filtering of a list), where an unrouted id is normal and must not cost a replica sync.
   */
  async peek(topId: string, type: ResourceType): Promise<Routing | undefined> {
    return this.#find(topId, type, false);
  }

  async #find(topId: string, type: ResourceType, syncOnMiss: boolean): Promise<Routing | undefined> {
    const key = `${type}:${topId}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    let row = await this.#store.routings.lookup(topId, type);
    if (!row && syncOnMiss && this.#onMiss) {
      await this.#onMiss();
      row = await this.#store.routings.lookup(topId, type);
    }
    if (row) this.#remember(key, row);
    return row;
  }

  /**
   * Writes the pending row of a create; a store that cannot be written stops the create before
   * any pod is touched, so a create never leaves an orphan it could not route.
   */
  async begin(projectId: string, podId: string, type: ResourceType): Promise<Routing> {
    try {
      return await this.#store.routings.createPending(projectId, podId, type);
    } catch (err) {
      if (isUnavailable(err)) {
        throw new RoutingError('TRIO2O_ROUTING_UNWRITABLE', 'The routing table cannot be written right now (state store primary unreachable); nothing was created.', { cause: err });
      }
      throw err;
    }
  }

  /**
   * Completes a pending row with the id the pod assigned. If the store went away between the
   * pending write and the pod's answer, the resource exists in the pod but cannot be routed yet:
   * the row stays pending (reconciliation completes it) and the caller still gets the pod's answer,
   * because failing a create the pod accepted would invite a duplicate retry.
   */
  async complete(pending: Routing, topId: string): Promise<Routing | undefined> {
    try {
      const row = await this.#store.routings.complete(pending.id, topId, topId);
      if (row) this.#remember(`${row.resource_type}:${row.top_id}`, row);
      return row;
    } catch (err) {
      if (isUnavailable(err)) return undefined;
      throw err;
    }
  }

  /**
   * Removes the pending row of a create the pod refused. Never throws: the caller is already
   * answering with the pod's error, and a row left pending is the reconciliation job's case.
   */
  async abort(pending: Routing): Promise<void> {
    try {
      await this.#store.routings.delete(pending.id);
    } catch {
      // left pending for reconciliation
    }
  }

  /** Records a resource the pod created as a side effect (e.g. a volume restored from a backup). */
  async adopt(projectId: string, podId: string, type: ResourceType, topId: string): Promise<void> {
    const pending = await this.#store.routings.createPending(projectId, podId, type);
    await this.complete(pending, topId);
  }

  /**
   * Drops every routing of an id the pod no longer knows. Best effort: the pod's 404 is the
   * answer either way, so a store that cannot be written (replica detached) only postpones the
   * cleanup to the next GET.
   */
  async forget(topId: string, type: ResourceType): Promise<void> {
    this.#cache.delete(`${type}:${topId}`);
    try {
      await this.#store.routings.deleteByTop(topId, type);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }

  /** Drops cached rows (all, or those of one pod) after an admin change. */
  invalidate(podId?: string): void {
    if (!podId) return this.#cache.clear();
    for (const [k, r] of this.#cache) if (r.pod_id === podId) this.#cache.delete(k);
  }

  #remember(key: string, row: Routing): void {
    if (this.#cache.size >= this.#max) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, row);
  }
}
