/**
 * Opens the state store: a libSQL client on a local file (standalone, the default) and the
 * repositories on top of it. Replica mode (sync_url) is opened here too; its outage handling
 * lives with the multi-site code.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { migrate } from './migrations';
import { PodRepo } from './pods';
import { BindingRepo } from './bindings';
import { RoutingRepo } from './routings';
import { EndpointCacheRepo } from './endpoints';
import { JobRepo } from './jobs';
import { FlavorRepo } from './flavors';
import { KeypairRepo } from './keypairs';
import { AggregateRepo } from './aggregates';
import { QuotaRepo } from './quotas';

export interface StoreOptions {
  /** libSQL URL of the local database. @default 'file:./data/trio2o.db' */
  url: string;
  /** sqld primary to replicate from; absent means standalone. */
  syncUrl?: string;
  /** JWT for the primary. */
  authToken?: string;
  /** Seconds between background syncs of the replica. @default 1 */
  syncInterval?: number;
  /** Apply pending migrations on open. @default true */
  migrate?: boolean;
}

export interface Store {
  readonly db: Client;
  readonly mode: 'standalone' | 'replica';
  readonly pods: PodRepo;
  readonly bindings: BindingRepo;
  readonly routings: RoutingRepo;
  readonly endpoints: EndpointCacheRepo;
  readonly jobs: JobRepo;
  readonly flavors: FlavorRepo;
  readonly keypairs: KeypairRepo;
  readonly aggregates: AggregateRepo;
  readonly quotas: QuotaRepo;
  close(): Promise<void>;
}

/** Creates the parent folder of a `file:` URL so a first start needs no manual mkdir. */
function ensureDirFor(url: string): void {
  if (!url.startsWith('file:')) return;
  const path = url.slice('file:'.length).split('?')[0]!;
  if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
}

export function storeFromClient(db: Client, mode: Store['mode'] = 'standalone'): Store {
  return {
    db,
    mode,
    pods: new PodRepo(db),
    bindings: new BindingRepo(db),
    routings: new RoutingRepo(db),
    endpoints: new EndpointCacheRepo(db),
    jobs: new JobRepo(db),
    flavors: new FlavorRepo(db),
    keypairs: new KeypairRepo(db),
    aggregates: new AggregateRepo(db),
    quotas: new QuotaRepo(db),
    async close() {
      db.close();
    },
  };
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  ensureDirFor(opts.url);
  const replica = Boolean(opts.syncUrl);
  const db = createClient({
    url: opts.url,
    ...(replica ? { syncUrl: opts.syncUrl, authToken: opts.authToken, syncInterval: opts.syncInterval ?? 1 } : {}),
  });
  // A fresh replica is empty until its first sync (platform notes §1): sync before serving.
  if (replica) await db.sync();
  if (opts.migrate !== false) await migrate(db);
  return storeFromClient(db, replica ? 'replica' : 'standalone');
}
