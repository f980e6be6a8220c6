/** Operations: logs, metrics, health, readiness, signals and draining of `trio2o serve`. */
export { createLogger, silentLogger, type Logger, type LogLevel } from './log';
export { accessLog, UNMATCHED_ROUTE, type AccessLogOptions } from './access-log';
export { Registry, Counter, Gauge, Histogram, LATENCY_BUCKETS, PROMETHEUS_CONTENT_TYPE, type Labels, type Collector } from './metrics';
export { GatewayMetrics, type MetricsSources, type RequestObservation } from './gateway-metrics';
export { healthcheck, runHealthChecks, negotiate, REASONS, STORE_PROBE_TIMEOUT_MS, type HealthResult, type HealthSources } from './health';
export { PodReachability, teeObserver, type PodFailure } from './pod-reachability';
export { sdNotify, type NotifyState, type SdNotifyOptions } from './sd-notify';
export { drainServers, DRAIN_POLL_MS, DEFAULT_DRAIN_TIMEOUT_MS, type DrainResult } from './drain';
export { installSignalHandlers, type SignalHandlers } from './signals';
export { codeCacheState, type CodeCacheState } from './code-cache';
