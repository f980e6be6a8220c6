/**
 * The routing table as the request path sees it: which pod owns an id.
 *
 * Completed routings are kept in a bounded in-memory map and the store is read only on a miss.
 * They rarely change, and every change goes through the store's `routing_changes` log (written by
 * triggers, whoever changed the row): changes made here evict at once, and `refresh()` — run after
 * each replica sync — evicts what other sites changed, so no site keeps sending requests to a pod
 * that no longer owns the id.
 *
 * Removal follows proof: a routing goes when a pod confirmed, to credentials that can see the
 * resource, that it is gone. A DELETE the pod accepted marks the row `deleting` and records a
 * `routing_delete` job that polls the pod until then; a 404 answered to the owner records a
 * `routing_verify` job that asks with the gateway's own credentials.
 */
import type { Routing, RoutingHint, Store } from '../store';
import { isUnavailable } from '../store';
import { RoutingError } from './errors';

export type ResourceType = 'server' | 'server_group' | 'volume' | 'snapshot' | 'backup' | 'attachment' | 'transfer' | 'message' | 'group' | 'group_snapshot';

export const RESOURCE_TYPES: readonly ResourceType[] = ['server', 'server_group', 'volume', 'snapshot', 'backup', 'attachment', 'transfer', 'message', 'group', 'group_snapshot'];

/** The jobs the routing table records; their handlers live in src/jobs. */
export const ROUTING_JOBS = {
  /** Poll the pod until a resource whose DELETE it accepted is gone, then remove the routing. */
  delete: 'routing_delete',
  /** Ask the pod with the gateway's credentials whether a resource is gone; remove the routing if so. */
  verify: 'routing_verify',
} as const;

/** The payload of both routing jobs: the routing as it was when the job was recorded. */
export interface RoutingJobPayload {
  routing_id: number;
  top_id: string;
  resource_type: ResourceType;
  pod_id: string;
  project_id: string;
}

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
/** Changes read per refresh round; a backlog is read in several rounds of one refresh. */
const CHANGES_PER_READ = 1_000;

export class RouteTable {
  readonly #store: Store;
  readonly #cache = new Map<string, Routing>();
  readonly #max: number;
  readonly #onMiss?: () => Promise<void>;
  /** The last routing change applied to the cache; undefined until the first refresh. */
  #changeSeq: number | undefined;
  #refreshing: Promise<number> | null = null;
  hits = 0;
  misses = 0;

  constructor(store: Store, opts: RouteTableOptions = {}) {
    this.#store = store;
    this.#max = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#onMiss = opts.onMiss;
  }

  /** Routings held in memory now; never more than `cacheSize` (the oldest entry goes first). */
  get size(): number {
    return this.#cache.size;
  }

  /** The routing a request follows for `topId` of `type` (active or deleting), or undefined. */
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

  /**
   * The routing of `topId` when the cache holds it (counted as a hit), else undefined without
   * asking the store: for a caller that takes another path on a miss, so the miss is counted and
   * looked up there once.
   */
  cached(topId: string, type: ResourceType): Routing | undefined {
    const hit = this.#cache.get(keyOf(type, topId));
    if (hit) this.hits++;
    return hit;
  }

  async #find(topId: string, type: ResourceType, syncOnMiss: boolean): Promise<Routing | undefined> {
    const key = keyOf(type, topId);
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
    if (row) this.#remember(row);
    return row;
  }

  /**
   * Writes the pending row of a create; a store that cannot be written stops the create before
   * any pod is touched, so a create never leaves an orphan it could not route.
   * @param hint what reconciliation needs to find the resource if the pod's answer is lost
   */
  async begin(projectId: string, podId: string, type: ResourceType, hint?: RoutingHint): Promise<Routing> {
    try {
      return await this.#store.routings.createPending(projectId, podId, type, hint);
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
   * because failing a create the pod accepted would invite a duplicate retry. If reconciliation
   * resolved the row meanwhile, the id is routed anew (adopted), never left unrouted.
   */
  async complete(pending: Routing, topId: string): Promise<Routing | undefined> {
    try {
      const row = (await this.#store.routings.complete(pending.id, topId, topId)) ?? (await this.adopt(pending.project_id, pending.pod_id, pending.resource_type as ResourceType, topId)).routing;
      this.#remember(row);
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

  /**
   * Routes a resource the pod created by itself (a multi-create sibling, a boot volume, a volume
   * restored from a backup, one found in a pod), unless the id is routed already.
   */
  async adopt(projectId: string, podId: string, type: ResourceType, topId: string): Promise<{ routing: Routing; adopted: boolean }> {
    const r = await this.#store.routings.adopt({ projectId, podId, resourceType: type, topId });
    this.#remember(r.routing);
    return r;
  }

  /**
   * The pod accepted a DELETE of the routed resource: the row turns `deleting` at once (it stops
   * counting against quota) and a job polls the pod until the resource is gone. Best effort: a
   * store that cannot be written leaves the row active, and a later 404 to the owner verifies it.
   */
  async markDeleting(routing: Routing): Promise<void> {
    const { routings, jobs } = this.#store;
    try {
      await this.#store.db.batch(
        [
          routings.setStatusStatement(routing.id, 'active', 'deleting'),
          jobs.enqueueStatement(ROUTING_JOBS.delete, routing.top_id, jobPayload(routing), { dedupKey: `${ROUTING_JOBS.delete}:${routing.id}` }),
        ],
        'write',
      );
      this.#evict(routing);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }

  /** A deletion the pod undid (Nova's `restore` of a soft-deleted server): the row is active again. */
  async restore(routing: Routing): Promise<void> {
    try {
      await this.#store.routings.setStatus(routing.id, 'deleting', 'active');
      this.#evict(routing);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }

  /**
   * The pod answered 404 to credentials that can see the resource: record a job that asks the pod
   * with the gateway's own credentials and removes the routing on its 404. One waiting job per
   * routing, however many 404s arrive. Best effort (the pod's 404 is the answer either way).
   */
  async verify(routing: Routing): Promise<void> {
    try {
      await this.#store.jobs.enqueue(ROUTING_JOBS.verify, routing.top_id, jobPayload(routing), { dedupKey: `${ROUTING_JOBS.verify}:${routing.id}` });
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }

  /**
   * Removes a routing on proof that its resource is gone, if it is still the row the proof was
   * about (same status, same pod). Returns whether it went.
   */
  async removeProven(routing: Routing, status: Routing['status']): Promise<boolean> {
    const gone = await this.#store.routings.deleteIf(routing.id, status, routing.pod_id);
    this.#evict(routing);
    return gone;
  }

  /** Sets a routing's status if it still has `from` (jobs); evicts the cached copy. */
  async setStatus(routing: Routing, from: Routing['status'], to: Routing['status']): Promise<Routing | undefined> {
    const row = await this.#store.routings.setStatus(routing.id, from, to, routing.pod_id);
    this.#evict(routing);
    return row;
  }

  /** Removes a routing by its id (the admin API's repair). Returns the removed row. */
  async remove(routingId: number): Promise<Routing | undefined> {
    const row = await this.#store.routings.get(routingId);
    if (!row) return undefined;
    const gone = await this.#store.routings.delete(routingId);
    this.#evict(row);
    return gone ? row : undefined;
  }

  /**
   * Gives a completed routing to another project, if it still belongs to the one the caller saw
   * (a volume transfer the pod accepted: the pod's answer is the proof). Returns the changed row.
   */
  async reassign(routing: Routing, projectId: string): Promise<Routing | undefined> {
    const row = await this.#store.routings.reassign(routing.id, routing.project_id, projectId, routing.pod_id);
    this.#evict(routing);
    return row;
  }

  /** Moves a completed routing to another pod (the admin API's repair). */
  async move(routingId: number, podId: string): Promise<Routing | undefined> {
    const row = await this.#store.routings.move(routingId, podId);
    if (row) this.#evict(row);
    return row;
  }

  /**
   * Drops every routing of an id a pod confirmed gone (an attachment whose DELETE the pod
   * answered: Cinder deletes attachments before answering). Best effort.
   */
  async forget(topId: string, type: ResourceType): Promise<void> {
    this.#cache.delete(keyOf(type, topId));
    try {
      await this.#store.routings.deleteByTop(topId, type);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }

  /**
   * Applies the routing changes recorded since the last call (at any site) to the cache: each
   * changed id is evicted and read again on its next use. The first call only notes where the
   * log stands (and empties the cache, which may hold rows older than that). Returns how many
   * changes were applied; one refresh at a time.
   */
  refresh(): Promise<number> {
    this.#refreshing ??= this.#applyChanges().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #applyChanges(): Promise<number> {
    if (this.#changeSeq === undefined) {
      this.#changeSeq = await this.#store.routings.lastChange();
      this.#cache.clear();
      return 0;
    }
    let applied = 0;
    for (;;) {
      const changes = await this.#store.routings.changesSince(this.#changeSeq, CHANGES_PER_READ);
      for (const ch of changes) {
        this.#cache.delete(keyOf(ch.resource_type, ch.top_id));
        this.#changeSeq = ch.seq;
      }
      applied += changes.length;
      if (changes.length < CHANGES_PER_READ) return applied;
    }
  }

  /** Drops cached rows (all, or those of one pod) after an admin change. */
  invalidate(podId?: string): void {
    if (!podId) return this.#cache.clear();
    for (const [k, r] of this.#cache) if (r.pod_id === podId) this.#cache.delete(k);
  }

  #evict(routing: Routing): void {
    this.#cache.delete(keyOf(routing.resource_type, routing.top_id));
  }

  #remember(row: Routing): void {
    if (row.status === 'pending') return;
    const key = keyOf(row.resource_type, row.top_id);
    if (this.#cache.size >= this.#max) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, row);
  }
}

const keyOf = (type: string, topId: string) => `${type}:${topId}`;

function jobPayload(r: Routing): RoutingJobPayload {
  return { routing_id: r.id, top_id: r.top_id, resource_type: r.resource_type as ResourceType, pod_id: r.pod_id, project_id: r.project_id };
}
