/** HTTP plumbing shared by the admin, compute and volume listeners. */
export * from './errors';
export * from './faults';
export * from './request-id';
export * from './body';
export * from './links';
export type { GatewayEnv } from './env';
export * from './microversion';
export { projectScope } from './scope';
export { mountRoutes, type RouteRow, type RouteHandler } from './route-table';
export type { ServiceDeps } from './service-deps';
