/**
 * A site's embedded replica of the sqld primary, kept alive through primary outages.
 *
 * Attached: an embedded replica (`file:` + `syncUrl`); reads are local, writes are delegated
 * to the primary. Detached: the same file through a plain client with `PRAGMA query_only = 1`,
 * so reads keep working and every write fails at once with SQLITE_READONLY (→ 503) without
 * touching the network and without ever diverging the file from the primary (a plain client on
 * a replica file writes locally without complaint). A replica cannot be opened at all while the
 * primary is unreachable (`createClient` throws), hence this second shape.
 *
 * Syncing is ours, not libsql's `syncInterval`: every tick first probes the primary over HTTP
 * (`probePrimary`, async, ~1 ms) and only then calls the synchronous native `sync()`, which would
 * otherwise freeze the event loop for 3 s per attempt while the primary is down. A failed probe
 * or sync detaches; a successful probe while detached re-attaches. Our own loop is also what
 * lets `status()` report the last sync time, frame number and error count.
 */
import { existsSync } from 'node:fs';
import './native-env';
import { createClient, type Client } from '@libsql/client';
import type { StoreLog } from './store-log';
import { SwitchClient } from './switch-client';
import { describePrimary, probePrimary } from './primary-probe';
import type { ReplicationControl, ReplicationStatus } from './replica-status';

export interface ReplicaOptions {
  /** The local replica, a `file:` URL. */
  url: string;
  syncUrl: string;
  authToken?: string;
  /** Seconds between syncs (and between attach attempts while detached). */
  syncInterval: number;
  log?: StoreLog;
  /** Deadline of one probe of the primary. @default 1000 */
  probeTimeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 1000;
const DEFAULT_SYNC_NOW_DEADLINE_MS = 500;

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);

function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export class Replica implements ReplicationControl {
  readonly client: SwitchClient;
  readonly #opts: ReplicaOptions;
  readonly #log?: StoreLog;
  readonly #probeTimeoutMs: number;
  #attached: boolean;
  #lastSyncAt: number | null = null;
  #frameNo: number | null = null;
  #syncErrors = 0;
  #consecutiveErrors = 0;
  #lastError: string | null = null;
  #detachedSince: number | null = null;
  #reattaches = 0;
  #running: Promise<boolean> | null = null;
  #next: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Called after each re-attach (e.g. to apply migrations deferred while detached). */
  onAttach?: () => Promise<void>;

  private constructor(opts: ReplicaOptions, client: Client, attached: boolean) {
    this.#opts = opts;
    this.#log = opts.log;
    this.#probeTimeoutMs = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.#attached = attached;
    this.client = new SwitchClient(client, !attached);
  }

  /**
   * Opens the replica: attached and synced once when the primary answers; otherwise detached on
   * the existing file. Throws when the primary is unreachable and there is no local file yet.
   */
  static async open(opts: ReplicaOptions): Promise<Replica> {
    const probe = await probePrimary(opts.syncUrl, opts.authToken, opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    let failure = probe.ok ? '' : probe.message;
    if (probe.ok) {
      try {
        const { client, frameNo } = await openAttached(opts);
        const r = new Replica(opts, client, true);
        r.#recordSync(frameNo);
        r.#scheduleIn(opts.syncInterval * 1000);
        return r;
      } catch (err) {
        failure = oneLine(err);
      }
    }
    const path = filePath(opts.url);
    if (!existsSync(path)) {
      throw new Error(`cannot start: ${failure}, and there is no local replica at ${path} to serve from yet; start again once the primary is reachable`);
    }
    const r = new Replica(opts, await openFallback(opts.url), false);
    r.#detachedSince = Date.now();
    r.#recordError(failure);
    r.#log?.warn('replica_detached', { primary: describePrimary(opts.syncUrl), reason: failure, message: 'serving the local replica read-only; writes answer 503 until the primary is back' });
    r.#scheduleIn(opts.syncInterval * 1000);
    return r;
  }

  status(): ReplicationStatus {
    const now = Date.now();
    return {
      mode: this.#attached ? 'replica' : 'replica-detached',
      primary: describePrimary(this.#opts.syncUrl),
      syncIntervalSeconds: this.#opts.syncInterval,
      lastSyncAt: this.#lastSyncAt === null ? null : new Date(this.#lastSyncAt).toISOString(),
      lastSyncAgeSeconds: this.#lastSyncAt === null ? null : (now - this.#lastSyncAt) / 1000,
      frameNo: this.#frameNo,
      syncErrors: this.#syncErrors,
      consecutiveErrors: this.#consecutiveErrors,
      lastError: this.#lastError,
      detachedSince: this.#detachedSince === null ? null : new Date(this.#detachedSince).toISOString(),
      reattaches: this.#reattaches,
    };
  }

  get attached(): boolean {
    return this.#attached;
  }

  syncNow(deadlineMs = DEFAULT_SYNC_NOW_DEADLINE_MS): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    // A tick already running may have read the primary before the caller's row existed, so
    // callers arriving during it share the NEXT tick, which starts right after it.
    const p = this.#running ? (this.#next ??= this.#running.then(() => ((this.#next = null), this.#startTick()))) : this.#startTick();
    return withDeadline(p, deadlineMs, false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
    this.client.close();
  }

  /** Fixed rate: the next tick is one interval after this one started, not after it ended. */
  #scheduleIn(ms: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      const started = Date.now();
      void (this.#running ?? this.#startTick()).finally(() => this.#scheduleIn(Math.max(0, this.#opts.syncInterval * 1000 - (Date.now() - started))));
    }, ms);
    this.#timer.unref();
  }

  #startTick(): Promise<boolean> {
    this.#running = this.#tick().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** One sync (attached) or one attach attempt (detached). Never throws. */
  async #tick(): Promise<boolean> {
    if (this.#closed) return false;
    const probe = await probePrimary(this.#opts.syncUrl, this.#opts.authToken, this.#probeTimeoutMs);
    if (this.#closed) return false;
    if (!probe.ok) return this.#fail(probe.message);
    if (this.#attached) {
      try {
        const rep = await this.client.current.sync();
        this.#recordSync(rep?.frame_no);
        return true;
      } catch (err) {
        return this.#fail(oneLine(err));
      }
    }
    let opened: { client: Client; frameNo: number | undefined };
    try {
      opened = await openAttached(this.#opts);
    } catch (err) {
      return this.#fail(oneLine(err));
    }
    const detachedFor = this.#detachedSince === null ? 0 : Date.now() - this.#detachedSince;
    this.client.swap(opened.client, false);
    this.#attached = true;
    this.#detachedSince = null;
    this.#reattaches++;
    this.#recordSync(opened.frameNo);
    this.#log?.info('replica_attached', { primary: describePrimary(this.#opts.syncUrl), frame_no: this.#frameNo, detached_ms: detachedFor });
    await this.onAttach?.().catch((err: unknown) => this.#log?.error('replica_on_attach_failed', { error: oneLine(err) }));
    return true;
  }

  /** Records a failure; an attached replica switches to the read-only fallback. */
  async #fail(message: string): Promise<false> {
    this.#recordError(message);
    if (this.#attached) {
      try {
        this.client.swap(await openFallback(this.#opts.url), true);
        this.#attached = false;
        this.#detachedSince = Date.now();
        this.#log?.warn('replica_detached', { primary: describePrimary(this.#opts.syncUrl), reason: message, message: 'serving the local replica read-only; writes answer 503 until the primary is back' });
      } catch (err) {
        // Keep the embedded replica: its reads still work and its writes fail on their own.
        this.#log?.error('replica_fallback_failed', { error: oneLine(err) });
      }
    }
    return false;
  }

  #recordSync(frameNo: number | undefined): void {
    this.#lastSyncAt = Date.now();
    if (frameNo !== undefined) this.#frameNo = frameNo;
    this.#consecutiveErrors = 0;
  }

  #recordError(message: string): void {
    this.#syncErrors++;
    this.#consecutiveErrors++;
    this.#lastError = message;
  }
}

/** The filesystem path of a `file:` URL. */
export function filePath(url: string): string {
  return url.slice('file:'.length).split('?')[0]!;
}

/**
 * An embedded replica, synced once. `createClient` and `sync` are synchronous native calls that
 * block for seconds when the primary is away: call this only after a successful probe.
 */
async function openAttached(opts: ReplicaOptions): Promise<{ client: Client; frameNo: number | undefined }> {
  const client = createClient({ url: opts.url, syncUrl: opts.syncUrl, authToken: opts.authToken });
  try {
    // A fresh embedded replica is empty until its first sync: sync before serving.
    const rep = await client.sync();
    return { client, frameNo: rep?.frame_no };
  } catch (err) {
    client.close();
    throw err;
  }
}

/**
 * The detached shape: ONE connection with `query_only`, so nothing is ever written to the file
 * (a second pooled connection would not carry the pragma; SwitchClient refuses transactions).
 */
async function openFallback(url: string): Promise<Client> {
  const client = createClient({ url, concurrency: 1 });
  try {
    await client.execute('PRAGMA query_only = 1');
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}
