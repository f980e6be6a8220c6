/**
 * The job types this gateway runs and the periodic sweeps of its runner, wired from the shared
 * machinery. Settings come from `[jobs]`.
 */
import {
  FLAVOR_PUSH,
  flavorPushHandler,
  POD_CATALOG_SYNC,
  podCatalogSyncHandler,
  VOLUME_TYPE_PUSH,
  volumeTypePushHandler,
  CATALOG_ITEM_PUSH,
  catalogItemPushHandler,
  ADOPT_RESERVATION,
  ADOPT_SERVER_VOLUMES,
  adoptReservationHandler,
  adoptServerVolumesHandler,
  DEFAULT_PENDING_TIMEOUT_MS,
  enqueueStalePending,
  FINISHED_JOB_RETENTION_MS,
  routingDeleteHandler,
  routingReconcileHandler,
  routingsPruneHandler,
  routingVerifyHandler,
  ROUTING_RECONCILE,
  ROUTINGS_PRUNE,
  type Backoff,
  type JobHandler,
  type RoutingCheckDeps,
  type Sweep,
} from '../jobs';
import { ROUTING_JOBS } from '../routing';
import { isoNow } from '../store';

export interface JobsOptions {
  /** Run the job runner in this process. @default true */
  enabled?: boolean;
  /** @default DEFAULT_LEASE_MS */
  leaseMs?: number;
  /** @default DEFAULT_POLL_MS */
  pollMs?: number;
  /** @default DEFAULT_CONCURRENCY */
  concurrency?: number;
  /** @default DEFAULT_MAX_ATTEMPTS */
  maxAttempts?: number;
  /** @default DEFAULT_BACKOFF */
  backoff?: Backoff;
  /** Pending routings older than this are reconciled against their pod. @default DEFAULT_PENDING_TIMEOUT_MS */
  pendingTimeoutMs?: number;
  /** Finished jobs are kept this long, then removed with their history. @default FINISHED_JOB_RETENTION_MS */
  retentionMs?: number;
}

/** Routing changes are kept a day: far longer than any site takes to read them. */
const CHANGE_LOG_RETENTION_MS = 24 * 3_600_000;
const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

export type JobDeps = RoutingCheckDeps;

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return {
    [ROUTING_JOBS.delete]: routingDeleteHandler(deps),
    [ROUTING_JOBS.verify]: routingVerifyHandler(deps),
    [ROUTINGS_PRUNE]: routingsPruneHandler(deps),
    [ROUTING_RECONCILE]: routingReconcileHandler(deps),
    [ADOPT_RESERVATION]: adoptReservationHandler(deps),
    [ADOPT_SERVER_VOLUMES]: adoptServerVolumesHandler(deps),
    [FLAVOR_PUSH]: flavorPushHandler(deps),
    [VOLUME_TYPE_PUSH]: volumeTypePushHandler(deps),
    [CATALOG_ITEM_PUSH]: catalogItemPushHandler(deps),
    [POD_CATALOG_SYNC]: podCatalogSyncHandler(deps),
  };
}

export function jobSweeps(deps: JobDeps, o: JobsOptions = {}): Sweep[] {
  const pendingTimeoutMs = o.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS;
  return [
    {
      // Often enough that a lost create is resolved within about 1.5 pending timeouts.
      name: 'stale_pending',
      everyMs: Math.min(30_000, Math.max(250, pendingTimeoutMs / 2)),
      run: async () => void (await enqueueStalePending(deps, pendingTimeoutMs)),
    },
    {
      name: 'housekeeping',
      everyMs: HOUSEKEEPING_EVERY_MS,
      async run() {
        await deps.store.jobs.pruneFinished(isoNow(new Date(Date.now() - (o.retentionMs ?? FINISHED_JOB_RETENTION_MS))));
        await deps.store.routings.pruneChanges(isoNow(new Date(Date.now() - CHANGE_LOG_RETENTION_MS)));
      },
    },
  ];
}
