/**
 * Pod client: how the gateway talks to bottom OpenStack pods. Endpoint resolution → one
 * keep-alive pool per endpoint origin → forwarding with deadlines, idempotent-only retries and
 * a circuit breaker per pod. Import from here, not from the files.
 */
export {
  PodClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_CONNECTIONS,
  DEFAULT_BREAKER_THRESHOLD,
  DEFAULT_BREAKER_COOLDOWN_MS,
  type PodClientOptions,
  type EndpointSource,
} from './pod-client';
export { EndpointResolver, endpointsForRegion, type EndpointResolverOptions } from './endpoints';
export { podUrl, podTarget, podRootTarget, type PodTarget } from './pod-url';
export {
  PodError,
  isPodError,
  httpStatusFor,
  toPodError,
  notJsonReply,
  neverReachedPod,
  RETRYABLE_ERROR_CODES,
  type PodErrorCode,
  type PodErrorPhase,
  type PodErrorDetails,
} from './errors';
export { CircuitBreaker, isFailureStatus, type BreakerState, type BreakerSnapshot, type CircuitBreakerOptions } from './breaker';
export { PoolRegistry, type PoolRegistryOptions } from './pools';
export { CallSignal, type CallerSignal } from './call-signal';
export { forwardRequestHeaders, responseHeaders, FORWARDED_REQUEST_HEADERS, HOP_BY_HOP_HEADERS, REQUEST_ID_HEADER } from './headers';
export { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS, RETRY_AFTER_MAX_MS, backoffMs, retryAfterMs } from './forward';
export {
  SERVICE_TYPES,
  type ServiceType,
  type PodRef,
  type CatalogService,
  type CatalogSource,
  type EndpointCacheStore,
  type PodObserver,
  type PodRequestBody,
  type PodRequestOptions,
  type PodResponse,
  type ServiceCredentials,
} from './types';
