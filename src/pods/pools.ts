/**
 * One undici Pool per pod endpoint origin, kept in a Map, created on first use and closed at
 * shutdown: the layer undici's Agent provides, kept here so the pod client owns its options
 * (connection bound, keep-alive, connect timeout) and can count pools for metrics. Like
 * Agent, a pool whose every connection has gone away is dropped, so a pod that moved or
 * died does not keep a pool forever.
 */
import { Pool } from 'undici';

export interface PoolRegistryOptions {
  /** Upper bound on sockets per origin. @default 64 */
  connections?: number;
  /** Idle keep-alive before undici closes a socket (below common server defaults of 5 s). @default 4000 */
  keepAliveTimeoutMs?: number;
  /** TCP (+TLS) connect timeout. @default 10000 */
  connectTimeoutMs?: number;
}

interface Entry {
  pool: Pool;
  /** Connected sockets, tracked from the pool's connect/disconnect events (as undici's Agent does). */
  connected: number;
}

export class PoolRegistry {
  readonly #pools = new Map<string, Entry>();
  readonly #options: Pool.Options;
  #closed = false;

  constructor(options: PoolRegistryOptions = {}) {
    const connections = options.connections ?? 64;
    if (!Number.isInteger(connections) || connections < 1) {
      throw new TypeError('connections must be a positive integer');
    }
    this.#options = {
      connections,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
    };
  }

  /** The pool for an origin (`http://host:port`), created on first use. */
  get(origin: string): Pool {
    const hit = this.#pools.get(origin);
    if (hit) return hit.pool;
    if (this.#closed) throw Object.assign(new Error('pod client is closed'), { code: 'UND_ERR_CLOSED' });
    const pool = new Pool(origin, this.#options);
    const entry: Entry = { pool, connected: 0 };
    pool.on('connect', () => {
      entry.connected += 1;
    });
    pool.on('disconnect', () => {
      entry.connected -= 1;
      this.#dropIfUnused(origin, entry);
    });
    pool.on('connectionError', () => {
      this.#dropIfUnused(origin, entry);
    });
    this.#pools.set(origin, entry);
    return pool;
  }

  /** Number of live pools (one per origin in use). */
  get size(): number {
    return this.#pools.size;
  }

  /** Close every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(all.map((e) => e.pool.close()));
  }

  /** Abort every in-flight request and close every socket now. */
  async destroy(): Promise<void> {
    this.#closed = true;
    const all = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(all.map((e) => e.pool.destroy()));
  }

  #dropIfUnused(origin: string, entry: Entry): void {
    if (entry.connected > 0 || this.#pools.get(origin) !== entry) return;
    this.#pools.delete(origin);
    // close() lets queued requests finish on the old pool; new requests get a fresh one.
    if (!entry.pool.closed && !entry.pool.destroyed) entry.pool.close().catch(() => {});
  }
}
