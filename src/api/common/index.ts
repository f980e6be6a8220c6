/** Edge helpers shared by the admin, compute and volume APIs. */
export { projectScope } from './scope';
export { mountRoutes, type RouteRow, type RouteHandler } from './route-table';
export type { ServiceDeps } from './service-deps';
export { domainFaults, STORE_UNAVAILABLE_MESSAGE, type ApiService } from './domain-faults';
export { storeWrite } from './store-write';
export {
  ADMIN_QUERY,
  CINDER_QUERY,
  FANOUT_LIMIT,
  NOVA_QUERY,
  adminInt,
  isNoneString,
  pageParams,
  queryBool,
  queryOf,
  sortDirection,
  type Page,
  type QueryDialect,
} from './query';
export { routeMissLookup, MISS_TTL_MS, MISS_CACHE_SIZE, type MissLookup } from './route-miss';
export { usableInPod } from './catalog-in-pod';
export { noneFound } from './none-found';
export { podItems } from './pod-items';
export { callerRoute, visibleToCaller } from './caller-route';
export { reservedSegments, type FastByIdRoute } from './fast-by-id';
