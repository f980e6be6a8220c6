/**
 * Builds and starts the gateway: the shared machinery (pod client, routing, scheduling,
 * discovery) and three listeners (admin, compute, volume) in one process on one store.
 * Everything comes in as options, so tests start exactly what production starts.
 */
import { getRequestListener, type ServerType } from '@hono/node-server';
import { createServer as createNodeServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { authenticate, noauthServiceCredentials, type Authorizer, type AuthenticateOptions } from '../auth';
import type { ApiRule } from '../api/policy-rules';
import type { Store } from '../store';
import type { Logger } from '../ops/log';
import { adminRoutes } from '../api/admin';
import { computeFastRoute, computeRoutes } from '../api/compute';
import { volumeRoutes } from '../api/volume';
import { domainFaults, routeMissLookup, type ServiceDeps } from '../api/common';
import { fastPath, type FastHandler } from './fast-path';
import { DEFAULT_MAX_BODY_BYTES, parseVersion, type GatewayEnv, type Version } from '../http';
import { EndpointResolver, PodClient, type CatalogSource, type ServiceCredentials } from '../pods';
import { JobRunner, ServiceCaller } from '../jobs';
import { jobHandlers, jobSweeps, type JobsOptions } from './jobs';
import { PodDirectory, RouteTable } from '../routing';
import { Scheduler } from '../scheduling';
import { PodVersions } from '../discovery';
import { createFanout, DEFAULT_LIST_TIMEOUT_MS, DEFAULT_MAX_LIMIT, type Fanout } from '../fanout';
import { buildListener } from './listener';
import { DEFAULT_DRAIN_TIMEOUT_MS, GatewayMetrics, PodReachability, PROMETHEUS_CONTENT_TYPE, drainServers, healthcheck, teeObserver } from '../ops';

/**
 * How long a route miss waits for one sync of a site replica before answering 404: long enough
 * for a sync (~2 ms), short when the primary is away.
 */
export const ROUTE_MISS_SYNC_DEADLINE_MS = 500;

/** The newest compute microversion the gateway itself shapes and routes. */
export const COMPUTE_CEILING = '2.96';
/** The newest volume microversion the gateway routes (Cinder's own maximum today). */
export const VOLUME_CEILING = '3.71';

export interface GatewayOptions {
  bindHost: string;
  ports: { admin: number; compute: number; volume: number };
  publicUrls?: { admin?: string; compute?: string; volume?: string };
  auth: AuthenticateOptions;
  policy: Authorizer<ApiRule>;
  store: Store;
  log: Logger;
  /** The gateway's service-token catalog, for pod endpoints; absent under noauth. */
  catalog?: CatalogSource;
  /** @default DEFAULT_MAX_LIMIT */
  maxLimit?: number;
  /** @default DEFAULT_MAX_BODY_BYTES */
  maxBodyBytes?: number;
  pods?: {
    /** @default DEFAULT_REQUEST_TIMEOUT_MS */ requestTimeoutMs?: number;
    /** @default DEFAULT_LIST_TIMEOUT_MS */ listTimeoutMs?: number;
    /** @default DEFAULT_CONNECTIONS */ connections?: number;
    /** @default DEFAULT_BREAKER_THRESHOLD */ breakerThreshold?: number;
    /** @default DEFAULT_BREAKER_COOLDOWN_MS */ breakerCooldownMs?: number;
  };
  /** `[compute_api] max_microversion`. */
  computeMaxVersion?: string;
  /** `[volume_api] max_microversion`. */
  volumeMaxVersion?: string;
  /** `[DEFAULT] healthcheck_disable_file`: /healthcheck answers 503 while it exists. */
  healthcheckDisableFile?: string;
  /** Bound on waiting for in-flight requests at close. @default DEFAULT_DRAIN_TIMEOUT_MS */
  drainTimeoutMs?: number;
  /** The gateway's own credentials toward the pods (jobs). @default noauth admin headers */
  serviceCredentials?: ServiceCredentials;
  /** The job runner (`[jobs]`). */
  jobs?: JobsOptions;
  /** How often the route cache applies routing changes made at other sites. @default ROUTE_REFRESH_MS */
  routeRefreshMs?: number;
  /**
   * Serve the plain by-id pass-through calls below the framework (fast-path.ts). Off, every
   * request takes the Hono app (tests compare the two). @default true
   */
  fastPath?: boolean;
}

/** Routing changes recorded at any site reach this site's route cache within this time (plus a replica sync). */
export const ROUTE_REFRESH_MS = 1_000;

/** The parts tests and operations code reach into. */
export interface GatewayParts {
  pods: PodClient;
  resolver: EndpointResolver;
  routes: RouteTable;
  podDir: PodDirectory;
  scheduler: Scheduler;
  computeVersions: PodVersions;
  volumeVersions: PodVersions;
  /** List fan-out state: `fanout.metrics.snapshot()` / `.observe()` for /metrics and logs. */
  fanout: Fanout;
  metrics: GatewayMetrics;
  reachability: PodReachability;
  /** Calls to pods with the gateway's own credentials. */
  service: ServiceCaller;
  /** This process's job runner (started by startGateway unless `jobs.enabled` is false). */
  runner: JobRunner;
  /** Set when close() begins: /healthcheck reports SHUTTING DOWN. */
  lifecycle: { stopping: boolean };
}

export interface Gateway {
  apps: { admin: Hono<GatewayEnv>; compute: Hono<GatewayEnv>; volume: Hono<GatewayEnv> };
  /** The listeners' fast routes, where they have one. */
  fast: { compute?: FastHandler };
  parts: GatewayParts;
  urls: { admin: string; compute: string; volume: string };
  /** The three Node HTTP servers (admin, compute, volume). */
  servers: Server[];
  /** Stop accepting, drain in-flight requests (bounded by drainTimeoutMs), close pod pools. */
  close(): Promise<void>;
}

function version(s: string | undefined, what: string): Version | undefined {
  if (s === undefined) return undefined;
  const v = parseVersion(s);
  if (!v) throw new Error(`${what} must look like X.Y, got ${s}`);
  return v;
}

export function buildGateway(opts: GatewayOptions): { apps: Gateway['apps']; fast: Gateway['fast']; parts: GatewayParts } {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxLimit = opts.maxLimit ?? DEFAULT_MAX_LIMIT;
  const auth = authenticate(opts.auth);
  const { store, log } = opts;

  const lifecycle = { stopping: false };
  // A site replica reports its own link to the primary (store.replication).
  const replication = store.replication;
  const replicaState = replication && (() => {
    const st = replication.status();
    return { detached: st.mode === 'replica-detached', lastSyncAt: st.lastSyncAt === null ? null : Date.parse(st.lastSyncAt) };
  });
  // The closures below read pods/routes/podDir, built further down, only when called.
  const reachability = new PodReachability((podId) => pods.breakerState(podId));
  const metrics = new GatewayMetrics({
    breakers: () => pods.breakerSnapshot(),
    pods: () => podDir.list(),
    routeCache: () => ({ hits: routes.hits, misses: routes.misses }),
    tokenCache: () => (opts.auth.validator as { stats?: () => { hits: number; misses: number } } | undefined)?.stats?.(),
    replica: replicaState,
    fanout: () => fanout.metrics.snapshot(),
    jobs: () => store.jobs.counts(),
    jobRunner: () => runner.stats(),
  });
  const resolver = new EndpointResolver({ catalog: opts.catalog ?? null, store: store.endpoints, onStoreError: (err) => log.warn('endpoint_cache_error', { error: String(err) }) });
  const pods = new PodClient({
    resolver,
    requestTimeoutMs: opts.pods?.requestTimeoutMs,
    connections: opts.pods?.connections,
    breakerThreshold: opts.pods?.breakerThreshold,
    breakerCooldownMs: opts.pods?.breakerCooldownMs,
    observer: teeObserver(metrics.podObserver, reachability.observer),
    onBreakerChange: (podId, from, to) => log.warn('pod_breaker', { pod_id: podId, from, to }),
  });
  // A replica may not have synced yet an id created at another site a moment ago: one shared,
  // bounded sync before a 404 (store.replication single-flights it; see src/store/replica.ts).
  const routes = new RouteTable(store, replication ? { onMiss: async () => void (await replication.syncNow(ROUTE_MISS_SYNC_DEADLINE_MS)) } : {});
  const podDir = new PodDirectory(store);
  const scheduler = new Scheduler(store);
  const service = new ServiceCaller(pods, opts.serviceCredentials ?? noauthServiceCredentials(), { timeoutMs: opts.pods?.requestTimeoutMs });
  const jobDeps = { store, routes, podDir, service };
  const runner = new JobRunner({
    store,
    log,
    handlers: jobHandlers(jobDeps),
    sweeps: jobSweeps(jobDeps, opts.jobs),
    leaseMs: opts.jobs?.leaseMs,
    pollMs: opts.jobs?.pollMs,
    concurrency: opts.jobs?.concurrency,
    maxAttempts: opts.jobs?.maxAttempts,
    backoff: opts.jobs?.backoff,
    beforeRun: replication ? async () => void (await replication.syncNow(ROUTE_MISS_SYNC_DEADLINE_MS)) : undefined,
  });
  const computeVersions = new PodVersions({
    pods,
    service: 'compute',
    listPods: () => podDir.bottoms(),
    ceiling: parseVersion(COMPUTE_CEILING)!,
    cap: version(opts.computeMaxVersion, '[compute_api] max_microversion'),
    stored: store.podMicroversions,
  });
  const volumeVersions = new PodVersions({
    pods,
    service: 'volumev3',
    listPods: () => podDir.bottoms(),
    ceiling: parseVersion(VOLUME_CEILING)!,
    cap: version(opts.volumeMaxVersion, '[volume_api] max_microversion'),
    stored: store.podMicroversions,
  });
  const proxy = { pods, endpoints: resolver, publicUrl: opts.publicUrls?.compute };
  const fanout = createFanout();
  const onPodChanged = (podId: string) => {
    podDir.invalidate();
    routes.invalidate(podId);
    pods.forgetPod(podId);
    reachability.forget(podId);
    void resolver.invalidate(podId);
    void computeVersions.refresh().catch(() => {});
    void volumeVersions.refresh().catch(() => {});
  };

  const podRuntime = (podId: string) => ({
    reachable: reachability.reachable(podId),
    breaker: pods.breakerState(podId),
    lastFailure: reachability.lastFailure(podId),
    compute: computeVersions.rangeOf(podId),
    volume: volumeVersions.rangeOf(podId),
  });

  const health = healthcheck({
    disableFile: opts.healthcheckDisableFile,
    stopping: () => lifecycle.stopping,
    probeStore: () => store.db.execute('SELECT 1'),
    replica: replicaState,
    enabledPods: () => podDir.bottoms(),
    podReachable: (podId) => reachability.reachable(podId),
  });
  const common = { log, maxBodyBytes, observe: metrics.observeRequest, healthcheck: health };
  const admin = buildListener(
    { listener: 'admin', ...common, metrics: async (c) => c.body(await metrics.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }) },
    adminRoutes({ store, routes, podDir, service, policy: opts.policy, maxLimit, publicUrl: opts.publicUrls?.admin, onPodChanged, runtime: { pod: podRuntime } }, auth),
  );
  // What the compute and volume APIs share; each has its own versions and public URL.
  const serviceDeps = (versions: PodVersions, publicUrl: string | undefined) =>
    withMissLookup({
      store,
      routes,
      service,
      podDir,
      scheduler,
      proxy: { ...proxy, publicUrl },
      policy: opts.policy,
      auth,
      maxVersion: () => versions.max(),
      versionsReady: () => versions.ready(),
      publicUrl,
      maxLimit,
      listTimeoutMs: opts.pods?.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS,
      fanout,
    });
  const computeDeps = serviceDeps(computeVersions, opts.publicUrls?.compute);
  const compute = buildListener({ listener: 'compute', ...common }, computeRoutes(computeDeps));
  const fastCompute =
    opts.fastPath === false
      ? undefined
      : fastPath({
          listener: 'compute',
          route: computeFastRoute(computeDeps, opts.auth),
          log,
          observe: metrics.observeRequest,
          maxBodyBytes,
          translate: domainFaults('compute'),
          publicUrl: opts.publicUrls?.compute,
        });
  const volume = buildListener({ listener: 'volume', ...common }, volumeRoutes(serviceDeps(volumeVersions, opts.publicUrls?.volume)));
  return {
    apps: { admin, compute, volume },
    fast: { compute: fastCompute },
    parts: { pods, resolver, routes, podDir, scheduler, computeVersions, volumeVersions, fanout, metrics, reachability, service, runner, lifecycle },
  };
}

/** A service's deps with its route-miss lookup (which asks the tenant's pods with those deps). */
function withMissLookup<D extends ServiceDeps>(deps: D): D {
  return { ...deps, missLookup: routeMissLookup(deps) };
}

function listen(app: Hono<GatewayEnv>, host: string, port: number, fast?: FastHandler): Promise<{ server: ServerType; url: string }> {
  // What `serve` of @hono/node-server builds, with the fast route (when there is one) seeing
  // each request first and handing the rest to the app.
  const toApp = getRequestListener(app.fetch, { hostname: host });
  const server = createNodeServer(fast ? (req, res) => fast(req, res, toApp) : toApp);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const info = server.address() as AddressInfo;
      resolve({ server, url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}` });
    });
  });
}

const closeServer = (s: ServerType) => new Promise<void>((r) => s.close(() => r()));

/**
 * Applies routing changes made anywhere (this site's writes, other sites' via the replica) to the
 * route cache every `everyMs`. Returns the stop function.
 */
function startRouteRefresh(routes: RouteTable, everyMs: number, log: GatewayOptions['log']): () => void {
  let failing = false;
  const timer = setInterval(() => {
    routes.refresh().then(
      () => void (failing = false),
      (err: unknown) => {
        if (!failing) log.warn('route_refresh_failed', { error: String(err) });
        failing = true;
      },
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { apps, fast, parts } = buildGateway(opts);
  const started: ServerType[] = [];
  try {
    // Where the routing change log stands now: later changes are evicted from the cache.
    await parts.routes.refresh();
    // Discovery starts before the listeners open: the first request already waits for its round.
    parts.computeVersions.start();
    parts.volumeVersions.start();
    const admin = await listen(apps.admin, opts.bindHost, opts.ports.admin);
    started.push(admin.server);
    const compute = await listen(apps.compute, opts.bindHost, opts.ports.compute, fast.compute);
    started.push(compute.server);
    const volume = await listen(apps.volume, opts.bindHost, opts.ports.volume);
    started.push(volume.server);
    const stopRefresh = startRouteRefresh(parts.routes, opts.routeRefreshMs ?? ROUTE_REFRESH_MS, opts.log);
    if (opts.jobs?.enabled !== false) parts.runner.start();
    const servers = started as Server[];
    return {
      apps,
      fast,
      parts,
      urls: { admin: admin.url, compute: compute.url, volume: volume.url },
      servers,
      async close() {
        parts.lifecycle.stopping = true;
        parts.computeVersions.stop();
        parts.volumeVersions.stop();
        stopRefresh();
        const drained = await drainServers(servers, opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
        opts.log.info('drained', { clean: drained.clean, duration_ms: drained.ms });
        // Jobs call pods too: they stop before the pools close.
        await parts.runner.stop();
        // Responses are all sent: whatever a pod still streams has no reader left.
        await (drained.clean ? parts.pods.close() : parts.pods.destroy());
      },
    };
  } catch (err) {
    parts.computeVersions.stop();
    parts.volumeVersions.stop();
    await Promise.all(started.map(closeServer));
    await parts.pods.close();
    throw err;
  }
}
