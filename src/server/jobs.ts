/**
 * The job types this gateway runs and the periodic sweeps of its runner, wired from the shared
 * machinery. Settings come from `[jobs]`.
 */
import { routingDeleteHandler, routingsPruneHandler, routingVerifyHandler, ROUTINGS_PRUNE, type Backoff, type JobHandler, type RoutingCheckDeps, type Sweep } from '../jobs';
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

/**
 * A create's pending routing older than this is reconciled: four pod request deadlines, so a
 * create still waiting for its pod is never taken for a lost one.
 */
export const DEFAULT_PENDING_TIMEOUT_MS = 120_000;
/** A week of finished jobs stays listable. */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3_600_000;
/** Routing changes are kept a day: far longer than any site takes to read them. */
const CHANGE_LOG_RETENTION_MS = 24 * 3_600_000;
const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

export type JobDeps = RoutingCheckDeps;

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return {
    [ROUTING_JOBS.delete]: routingDeleteHandler(deps),
    [ROUTING_JOBS.verify]: routingVerifyHandler(deps),
    [ROUTINGS_PRUNE]: routingsPruneHandler(deps),
  };
}

export function jobSweeps(deps: JobDeps, o: JobsOptions = {}): Sweep[] {
  return [
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
