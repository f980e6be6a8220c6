/**
 * Opens the state store: a libSQL client on a local file (standalone, the default) or a site
 * replica of a sqld primary (`sync_url`, see replica.ts), and the repositories on top of it.
 * In replica mode the repositories hold a SwitchClient, so they follow the replica through
 * detach (primary unreachable) and re-attach without any change at their call sites.
 */
import './native-env';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { StoreLog } from './store-log';
import { ClassifiedClient } from './classified-client';
import { Replica } from './replica';
import type { ReplicationControl, StoreMode } from './replica-status';
import { migrate, schemaVersion } from './migrations';
import { PodRepo } from './pods';
import { BindingRepo } from './bindings';
import { RoutingRepo } from './routings';
import { EndpointCacheRepo } from './endpoints';
import { PodMicroversionRepo } from './pod-microversions';
import { JobRepo } from './jobs';
import { VolumeTypeRepo } from './volume-types';
import { VolumeTypeExtraSpecRepo } from './volume-type-extra-specs';
import { VolumeTypeAccessRepo } from './volume-type-access';
import { VolumeQuotaRepo } from './volume-quotas';
import { VolumeUsageRepo } from './volume-usage';
import { FlavorRepo } from './flavors';
import { KeypairRepo } from './keypairs';
import { AggregateRepo } from './aggregates';
import { QuotaRepo } from './quotas';
import { CatalogStateRepo } from './catalog-state';
import { CatalogItemRepo } from './catalog-items';

export interface StoreOptions {
  /** libSQL URL of the local database. @default 'file:./data/trio2o.db' */
  url: string;
  /** sqld primary to replicate from; absent means standalone. */
  syncUrl?: string;
  /** JWT for the primary. */
  authToken?: string;
  /** Seconds between background syncs of the replica. @default 1 */
  syncInterval?: number;
  /** Apply pending migrations on open (deferred until re-attach when a replica starts detached). @default true */
  migrate?: boolean;
  /** Replica state changes (detached, attached) are logged here. */
  log?: StoreLog;
}

export interface Store {
  /** Fails only with classified StoreErrors. */
  readonly db: Client;
  /** Read it each time: a replica moves between 'replica' and 'replica-detached'. */
  readonly mode: StoreMode;
  /** Present in replica mode: status for /healthcheck and /metrics, and on-demand sync. */
  readonly replication?: ReplicationControl;
  readonly pods: PodRepo;
  readonly bindings: BindingRepo;
  readonly routings: RoutingRepo;
  readonly endpoints: EndpointCacheRepo;
  readonly podMicroversions: PodMicroversionRepo;
  readonly jobs: JobRepo;
  readonly volumeTypes: VolumeTypeRepo;
  readonly volumeTypeSpecs: VolumeTypeExtraSpecRepo;
  readonly volumeTypeAccess: VolumeTypeAccessRepo;
  readonly volumeQuotas: VolumeQuotaRepo;
  readonly volumeUsage: VolumeUsageRepo;
  readonly flavors: FlavorRepo;
  readonly keypairs: KeypairRepo;
  readonly aggregates: AggregateRepo;
  readonly quotas: QuotaRepo;
  /** Where each catalog item stands in each pod. */
  readonly catalogState: CatalogStateRepo;
  /** The volume API's smaller catalogs (QoS specs, default types, type encryption). */
  readonly catalogItems: CatalogItemRepo;
  close(): Promise<void>;
}

/** Creates the parent folder of a `file:` URL so a first start needs no manual mkdir. */
function ensureDirFor(url: string): void {
  if (!url.startsWith('file:')) return;
  const path = url.slice('file:'.length).split('?')[0]!;
  if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
}

/**
 * Repositories on an open client. `replication` makes `mode` follow the replica's state.
 * @example const store = storeFromClient(createClient({ url: ':memory:' }));
 */
export function storeFromClient(client: Client, mode: 'standalone' | 'replica' = 'standalone', replication?: Replica): Store {
  // Every failure below this point is a classified StoreError.
  const db = client instanceof ClassifiedClient ? client : new ClassifiedClient(client);
  return {
    db,
    get mode(): StoreMode {
      return replication ? replication.status().mode : mode;
    },
    ...(replication ? { replication } : {}),
    pods: new PodRepo(db),
    bindings: new BindingRepo(db),
    routings: new RoutingRepo(db),
    endpoints: new EndpointCacheRepo(db),
    podMicroversions: new PodMicroversionRepo(db),
    jobs: new JobRepo(db),
    volumeTypes: new VolumeTypeRepo(db),
    volumeTypeSpecs: new VolumeTypeExtraSpecRepo(db),
    volumeTypeAccess: new VolumeTypeAccessRepo(db),
    volumeQuotas: new VolumeQuotaRepo(db),
    volumeUsage: new VolumeUsageRepo(db),
    flavors: new FlavorRepo(db),
    keypairs: new KeypairRepo(db),
    aggregates: new AggregateRepo(db),
    quotas: new QuotaRepo(db),
    catalogState: new CatalogStateRepo(db),
    catalogItems: new CatalogItemRepo(db),
    async close() {
      if (replication) await replication.close();
      else db.close();
    },
  };
}

/**
 * How long a write waits for another process's write to the same file (SQLite's busy timeout):
 * the listener workers of one host, or `trio2o db migrate` beside a running gateway. Without it
 * SQLite answers SQLITE_BUSY at once. Every write here is one statement or one batch, a few ms,
 * so the wait is that long in practice; it blocks this process's event loop while it lasts
 * (libSQL's calls are synchronous). Within one process writes never overlap: each is one
 * synchronous call.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the store. Replica mode: attached and synced once before returning when the primary
 * answers; otherwise started detached (read-only) from the existing replica file, re-attaching
 * on its own once the primary is back. Throws if neither is possible.
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  ensureDirFor(opts.url);
  if (!opts.syncUrl) {
    const db = createClient({ url: opts.url, timeout: BUSY_TIMEOUT_MS });
    // Write-ahead log: a commit is one append and one fsync (synchronous stays FULL, so every
    // committed write is as durable as before) instead of a rollback journal's create, sync,
    // write, sync and delete; readers never wait for a writer. Recorded in the file itself.
    if (!opts.url.includes(':memory:')) await db.execute('PRAGMA journal_mode = WAL');
    if (opts.migrate !== false) await migrate(db);
    return storeFromClient(db, 'standalone');
  }
  const replica = await Replica.open({ url: opts.url, syncUrl: opts.syncUrl, authToken: opts.authToken, syncInterval: opts.syncInterval ?? 1, log: opts.log });
  try {
    if (!replica.attached && (await schemaVersion(replica.client)) === 0) {
      throw new Error(`cannot start: ${replica.status().lastError}, and the local replica ${opts.url} holds no schema yet; start again once the primary is reachable`);
    }
    if (opts.migrate !== false) {
      if (replica.attached) {
        // Migration writes went to the primary; one sync records the frame number they reached.
        if ((await migrate(replica.client)).length > 0) await replica.syncNow(2000);
      } else {
        // Migrations are writes: they wait for the primary. The local file already has the
        // schema some earlier version created, which is what reads need meanwhile.
        opts.log?.warn('migrations_deferred', { message: 'replica detached at start; pending migrations run on re-attach' });
        replica.onAttach = async () => {
          await migrate(replica.client);
          replica.onAttach = undefined;
        };
      }
    }
  } catch (err) {
    await replica.close();
    throw err;
  }
  return storeFromClient(replica.client, 'replica', replica);
}
