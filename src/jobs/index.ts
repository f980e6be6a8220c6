/**
 * Jobs: the work that keeps the gateway's state true to the pods, run by a job runner in every
 * `serve` process and coordinated through leases on the primary (runner.ts). Each job type is a
 * handler (handler.ts) that reads current state when it runs, so retries and re-runs are harmless.
 */
export {
  JobRunner,
  DEFAULT_LEASE_MS,
  DEFAULT_POLL_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_BACKOFF,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  FINISHED_JOB_RETENTION_MS,
  type JobRunnerOptions,
  type JobRunnerStats,
  type Sweep,
} from './runner';
export { done, wait, fail, backoffMs, type JobOutcome, type JobContext, type JobHandler, type JobLog, type Backoff } from './handler';
export { ServiceCaller, DEFAULT_SERVICE_CALL_TIMEOUT_MS, type ServiceCall, type ServiceAnswer } from './service-calls';
export { RESOURCE_KINDS, COMPUTE_VERSION, VOLUME_VERSION, askResource, type ResourceKind, type ResourceState } from './resources';
export { routingDeleteHandler, routingVerifyHandler, type RoutingCheckDeps } from './routing-checks';
export { routingsPruneHandler, ROUTINGS_PRUNE, type PrunePayload } from './prune';
export { routingReconcileHandler, enqueueStalePending, ROUTING_RECONCILE, DEFAULT_PENDING_TIMEOUT_MS, CLOCK_SKEW_MS, type ReconcilePayload } from './reconcile';
export { listInPod, ListingUnavailable, LIST_LIMIT, type ListFilter } from './listing';
export {
  adoptReservation,
  adoptReservationHandler,
  adoptServerVolumesHandler,
  enqueueServerVolumes,
  ADOPT_RESERVATION,
  ADOPT_SERVER_VOLUMES,
  type ReservationPayload,
  type ReservationResult,
  type ServerVolumesPayload,
} from './adopt';
export { flavorPushHandler, enqueueFlavorPush, flavorPushKey, flavorConflict, FLAVOR_PUSH, type FlavorPushPayload } from './flavor-sync';
export { catalogItemPushHandler, enqueueCatalogItemPush, catalogItemPushKey, CATALOG_ITEM_PUSH, type CatalogItemPushPayload, type SyncedItemKind, type QosBody, type DefaultTypeBody, type GroupTypeBody } from './catalog-item-sync';
export { volumeTypePushHandler, enqueueVolumeTypePush, volumeTypePushKey, VOLUME_TYPE_PUSH, type VolumeTypePushPayload } from './volume-type-sync';
export { podCatalogSyncHandler, enqueuePodCatalogSync, POD_CATALOG_SYNC, type PodCatalogSyncPayload } from './pod-sync';
