/** Turns the validated configuration into the gateway's start options (one mapping, here). */
import type { Config } from '../config';
import type { StoreOptions } from '../store';
import type { GatewayOptions } from '../server';

const ms = (seconds: number) => Math.round(seconds * 1000);

export function storeOptions(config: Config): StoreOptions {
  return {
    url: config.database.url,
    syncUrl: config.database.sync_url,
    authToken: config.database.auth_token,
    syncInterval: config.database.sync_interval,
  };
}

/** Everything but store, auth, policy and log, which need I/O to build. */
export function gatewayOptions(config: Config): Omit<GatewayOptions, 'store' | 'auth' | 'policy' | 'log' | 'catalog' | 'serviceCredentials'> {
  return {
    bindHost: config.DEFAULT.bind_host,
    ports: { admin: config.admin_api.port, compute: config.compute_api.port, volume: config.volume_api.port },
    publicUrls: { admin: config.admin_api.public_url, compute: config.compute_api.public_url, volume: config.volume_api.public_url },
    maxLimit: config.api.max_limit,
    maxBodyBytes: config.api.max_body_bytes,
    pods: {
      requestTimeoutMs: ms(config.pods.request_timeout),
      listTimeoutMs: ms(config.pods.list_timeout),
      connections: config.pods.connections,
      breakerThreshold: config.pods.breaker_threshold,
      breakerCooldownMs: ms(config.pods.breaker_cooldown),
    },
    jobs: {
      enabled: config.jobs.enabled,
      leaseMs: ms(config.jobs.lease_seconds),
      pollMs: ms(config.jobs.poll_interval),
      concurrency: config.jobs.concurrency,
      maxAttempts: config.jobs.max_attempts,
      pendingTimeoutMs: ms(config.jobs.pending_timeout),
      retentionMs: ms(config.jobs.retention),
    },
    routeRefreshMs: ms(config.database.sync_interval),
    computeMaxVersion: config.compute_api.max_microversion,
    volumeMaxVersion: config.volume_api.max_microversion,
  };
}
