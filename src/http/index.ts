/**
 * The bottom HTTP layer shared by the three listeners: the client-facing error class and fault
 * bodies, request ids, request bodies, query parameters, microversions, public links and the
 * per-request context. It imports nothing from the rest of the gateway.
 */
export * from './errors';
export * from './faults';
export * from './request-id';
export * from './body';
export * from './path-guard';
export * from './query';
export * from './links';
export * from './microversion';
export type { GatewayEnv, RequestContext, AuthVariables } from './env';
