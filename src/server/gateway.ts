/**
 * Builds and starts the gateway: the shared machinery (pod client, routing, scheduling,
 * discovery) and three listeners (admin, compute, volume) in one process on one store.
 * Everything comes in as options, so tests start exactly what production starts.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { authenticate, type Authorizer, type AuthenticateOptions } from '../auth';
import type { Store } from '../store';
import type { Logger } from '../ops/log';
import { adminRoutes } from '../api/admin';
import { computeRoutes } from '../api/compute';
import { parseVersion, type GatewayEnv, type Version } from '../api/common';
import { EndpointResolver, PodClient, type CatalogSource } from '../pods';
import { PodDirectory, RouteTable } from '../routing';
import { Scheduler } from '../scheduling';
import { PodVersions } from '../discovery';
import { buildListener } from './listener';

/**
 * How long a route miss waits for one sync of a site replica before answering 404 (multi-site
 * issue): long enough for a sync (~2 ms), short when the primary is away.
 */
export const ROUTE_MISS_SYNC_DEADLINE_MS = 500;

/** The newest compute microversion the gateway itself shapes and routes. */
export const COMPUTE_CEILING = '2.96';

export interface GatewayOptions {
  bindHost: string;
  ports: { admin: number; compute: number; volume: number };
  publicUrls?: { admin?: string; compute?: string; volume?: string };
  auth: AuthenticateOptions;
  policy: Authorizer;
  store: Store;
  log: Logger;
  /** The gateway's service-token catalog, for pod endpoints; absent under noauth. */
  catalog?: CatalogSource;
  /** @default 1000 */
  maxLimit?: number;
  /** @default 1048576 */
  maxBodyBytes?: number;
  pods?: {
    /** @default 30000 */ requestTimeoutMs?: number;
    /** @default 10000 */ listTimeoutMs?: number;
    /** @default 64 */ connections?: number;
    /** @default 5 */ breakerThreshold?: number;
    /** @default 30000 */ breakerCooldownMs?: number;
  };
  /** `[compute_api] max_microversion`. */
  computeMaxVersion?: string;
}

/** The parts tests and operations code reach into. */
export interface GatewayParts {
  pods: PodClient;
  resolver: EndpointResolver;
  routes: RouteTable;
  podDir: PodDirectory;
  scheduler: Scheduler;
  computeVersions: PodVersions;
}

export interface Gateway {
  apps: { admin: Hono<GatewayEnv>; compute: Hono<GatewayEnv>; volume: Hono<GatewayEnv> };
  parts: GatewayParts;
  urls: { admin: string; compute: string; volume: string };
  close(): Promise<void>;
}

function version(s: string | undefined, what: string): Version | undefined {
  if (s === undefined) return undefined;
  const v = parseVersion(s);
  if (!v) throw new Error(`${what} must look like X.Y, got ${s}`);
  return v;
}

export function buildGateway(opts: GatewayOptions): { apps: Gateway['apps']; parts: GatewayParts } {
  const maxBodyBytes = opts.maxBodyBytes ?? 1_048_576;
  const maxLimit = opts.maxLimit ?? 1000;
  const auth = authenticate(opts.auth);
  const { store, log } = opts;

  const resolver = new EndpointResolver({ catalog: opts.catalog ?? null, store: store.endpoints, onStoreError: (err) => log.warn('endpoint_cache_error', { error: String(err) }) });
  const pods = new PodClient({
    resolver,
    requestTimeoutMs: opts.pods?.requestTimeoutMs,
    connections: opts.pods?.connections,
    breakerThreshold: opts.pods?.breakerThreshold,
    breakerCooldownMs: opts.pods?.breakerCooldownMs,
    onBreakerChange: (podId, from, to) => log.warn('pod_breaker', { pod_id: podId, from, to }),
  });
  // A replica may not have synced yet an id created at another site a moment ago: one shared,
  // bounded sync before a 404 (store.replication single-flights it; see src/store/replica.ts).
  const replication = store.replication;
  const routes = new RouteTable(store, replication ? { onMiss: async () => void (await replication.syncNow(ROUTE_MISS_SYNC_DEADLINE_MS)) } : {});
  const podDir = new PodDirectory(store);
  const scheduler = new Scheduler(store);
  const computeVersions = new PodVersions({
    pods,
    service: 'compute',
    listPods: () => podDir.bottoms(),
    ceiling: parseVersion(COMPUTE_CEILING)!,
    cap: version(opts.computeMaxVersion, '[compute_api] max_microversion'),
  });
  const proxy = { pods, endpoints: resolver, publicUrl: opts.publicUrls?.compute };
  const onPodChanged = (podId: string) => {
    podDir.invalidate();
    routes.invalidate(podId);
    pods.forgetPod(podId);
    void resolver.invalidate(podId);
    void computeVersions.refresh().catch(() => {});
  };

  const admin = buildListener(
    { listener: 'admin', log, maxBodyBytes },
    adminRoutes({ store, policy: opts.policy, maxLimit, publicUrl: opts.publicUrls?.admin, onPodChanged }, auth),
  );
  const compute = buildListener(
    { listener: 'compute', log, maxBodyBytes },
    computeRoutes({
      store,
      routes,
      podDir,
      scheduler,
      proxy,
      policy: opts.policy,
      auth,
      maxVersion: () => computeVersions.max(),
      publicUrl: opts.publicUrls?.compute,
      maxLimit,
      listTimeoutMs: opts.pods?.listTimeoutMs ?? 10_000,
    }),
  );
  const volume = buildListener({ listener: 'volume', log, maxBodyBytes }, new Hono<GatewayEnv>());
  return { apps: { admin, compute, volume }, parts: { pods, resolver, routes, podDir, scheduler, computeVersions } };
}

function listen(app: Hono<GatewayEnv>, host: string, port: number): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      resolve({ server, url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}` });
    });
    server.once('error', reject);
  });
}

const closeServer = (s: ServerType) => new Promise<void>((r) => s.close(() => r()));

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { apps, parts } = buildGateway(opts);
  const started: ServerType[] = [];
  try {
    const admin = await listen(apps.admin, opts.bindHost, opts.ports.admin);
    started.push(admin.server);
    const compute = await listen(apps.compute, opts.bindHost, opts.ports.compute);
    started.push(compute.server);
    const volume = await listen(apps.volume, opts.bindHost, opts.ports.volume);
    started.push(volume.server);
    parts.computeVersions.start();
    return {
      apps,
      parts,
      urls: { admin: admin.url, compute: compute.url, volume: volume.url },
      async close() {
        parts.computeVersions.stop();
        await Promise.all(started.map(closeServer));
        await parts.pods.close();
      },
    };
  } catch (err) {
    await Promise.all(started.map(closeServer));
    await parts.pods.close();
    throw err;
  }
}
