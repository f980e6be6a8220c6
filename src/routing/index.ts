/** Routing table: which pod owns each id; pending/complete for creates; cached lookups. */
export { RouteTable, type ResourceType, type RouteTableOptions } from './route-table';
export { PodDirectory } from './pod-directory';
export { RoutingError, type RoutingErrorCode } from './errors';
