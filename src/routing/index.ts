/** Routing table: which pod owns each id; pending/complete for creates; cached lookups. */
export { RouteTable, RESOURCE_TYPES, ROUTING_JOBS, type ResourceType, type RouteTableOptions, type RoutingJobPayload } from './route-table';
export { PodDirectory } from './pod-directory';
export { RoutingError, type RoutingErrorCode } from './errors';
