/**
 * The gateway's metric families and how they are fed: request observations from the access
 * log, upstream outcomes from the pod client's observer, and gauges refreshed on each scrape
 * (breaker states, pods, cache counters, replica sync age, job counts).
 *
 * Pods are labelled by `pod_id` (stable); `trio2o_pod_info` maps ids to names and AZs for
 * joins, the Prometheus convention for mutable names.
 */
import type { BreakerState, PodErrorCode, PodObserver, ServiceType } from '../pods';
import type { FanoutSnapshot } from '../fanout';
import type { JobRunnerStats } from '../jobs';
import { Registry, type Counter } from './metrics';

/** What the scrape-time collectors read; every source is optional so tests can wire a subset. */
export interface MetricsSources {
  /** Breaker states of pods that failed recently (PodClient.breakerSnapshot). */
  breakers?: () => Record<string, { state: BreakerState }>;
  /** Registered pods (PodDirectory.list). */
  pods?: () => Promise<{ pod_id: string; pod_name: string; az_name: string; enabled: boolean }[]>;
  /** Routing-table cache counters (RouteTable.hits/misses). */
  routeCache?: () => { hits: number; misses: number };
  /** Token-validation cache counters, when the validator keeps them. */
  tokenCache?: () => { hits: number; misses: number } | undefined;
  /** Replica state (store.replication); absent in standalone mode. */
  replica?: () => { lastSyncAt: number | null; detached: boolean };
  /** Fan-out list counters (fanout.metrics.snapshot). */
  fanout?: () => FanoutSnapshot;
  /** Job counts by type and status (one GROUP BY on the store). */
  jobs?: () => Promise<{ type: string; status: string; n: number }[]>;
  /** This process's job runner: attempts by type and outcome. */
  jobRunner?: () => JobRunnerStats;
}

/** One finished request, as the access log reports it. */
export interface RequestObservation {
  listener: string;
  method: string;
  route: string;
  status: number;
  ms: number;
}

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #startedAt = Date.now() / 1000;
  readonly #requests;
  readonly #latency;
  readonly #podLatency;
  readonly #podResponses;
  readonly #podErrors;

  constructor(sources: MetricsSources = {}) {
    const r = this.registry;
    this.#requests = r.counter('trio2o_http_requests_total', 'Requests answered, by listener, route template, method and status.', ['listener', 'route', 'method', 'status']);
    this.#latency = r.histogram('trio2o_http_request_duration_seconds', 'Time from request to response headers, by listener, route template and method.', ['listener', 'route', 'method']);
    this.#podLatency = r.histogram('trio2o_pod_request_duration_seconds', 'Upstream time to response headers (retries included), by pod and service.', ['pod_id', 'service']);
    this.#podResponses = r.counter('trio2o_pod_responses_total', 'Upstream responses, by pod, service and HTTP status.', ['pod_id', 'service', 'status']);
    this.#podErrors = r.counter('trio2o_pod_errors_total', 'Upstream calls that got no response, by pod, service and error code.', ['pod_id', 'service', 'code']);
    this.#collectors(sources);
  }

  /** Feed for `accessLog({ observe })`. */
  observeRequest = (o: RequestObservation): void => {
    this.#requests.inc({ listener: o.listener, route: o.route, method: o.method, status: o.status });
    this.#latency.observe({ listener: o.listener, route: o.route, method: o.method }, o.ms / 1000);
  };

  /** Feed for `PodClient({ observer })`. */
  readonly podObserver: PodObserver = {
    onResponse: (podId: string, service: ServiceType, status: number, ms: number) => {
      this.#podLatency.observe({ pod_id: podId, service }, ms / 1000);
      this.#podResponses.inc({ pod_id: podId, service, status });
    },
    onError: (podId: string, service: ServiceType, code: PodErrorCode | 'CLIENT_ABORTED', ms: number) => {
      this.#podLatency.observe({ pod_id: podId, service }, ms / 1000);
      this.#podErrors.inc({ pod_id: podId, service, code });
    },
  };

  render(): Promise<string> {
    return this.registry.render();
  }

  #collectors(s: MetricsSources): void {
    const r = this.registry;
    const breaker = r.gauge('trio2o_pod_breaker_state', 'Circuit breaker state per pod (1 for the current state).', ['pod_id', 'state']);
    const info = r.gauge('trio2o_pod_info', 'Registered pods: id, name, availability zone, enabled (value always 1).', ['pod_id', 'pod_name', 'az_name', 'enabled']);
    r.collect(async () => {
      const ids = new Set(Object.keys(s.breakers?.() ?? {}));
      const pods = (await s.pods?.()) ?? [];
      info.reset();
      for (const p of pods) {
        info.set({ pod_id: p.pod_id, pod_name: p.pod_name, az_name: p.az_name, enabled: String(p.enabled) }, 1);
        if (p.az_name !== '') ids.add(p.pod_id);
      }
      const snap = s.breakers?.() ?? {};
      breaker.reset();
      for (const id of ids) for (const st of BREAKER_STATES) breaker.set({ pod_id: id, state: st }, (snap[id]?.state ?? 'closed') === st ? 1 : 0);
    });
    const cacheCounters = (name: string, what: string, read: (() => { hits: number; misses: number } | undefined) | undefined) => {
      if (!read) return;
      const hits: Counter = r.counter(`trio2o_${name}_cache_hits_total`, `${what} served from memory.`);
      const misses: Counter = r.counter(`trio2o_${name}_cache_misses_total`, `${what} that needed a slower lookup.`);
      r.collect(() => {
        const v = read();
        if (!v) return;
        hits.setTotal(undefined, v.hits);
        misses.setTotal(undefined, v.misses);
      });
    };
    cacheCounters('token', 'Token validations', s.tokenCache);
    cacheCounters('route', 'Routing-table lookups', s.routeCache);
    if (s.replica) {
      const age = r.gauge('trio2o_replica_sync_age_seconds', 'Seconds since the embedded replica last synced from its primary (-1: not since start).');
      const detached = r.gauge('trio2o_replica_detached', '1 when the embedded replica cannot reach its primary.');
      r.collect(() => {
        const st = s.replica!();
        age.set(undefined, st.lastSyncAt === null ? -1 : Math.max(0, (Date.now() - st.lastSyncAt) / 1000));
        detached.set(undefined, st.detached ? 1 : 0);
      });
    }
    if (s.fanout) {
      const lists = r.counter('trio2o_fanout_lists_total', 'Fan-out lists answered, by collection.', ['collection']);
      const partial = r.counter('trio2o_fanout_partial_total', 'Fan-out lists answered with at least one pod missing (partial results), by collection.', ['collection']);
      const missing = r.counter('trio2o_fanout_pod_missing_total', 'Pods missing from a fan-out list, by pod and reason.', ['pod_id', 'reason']);
      const minimal = r.counter('trio2o_fanout_minimal_records_total', 'Missing pods shown as minimal UNKNOWN records (Nova 2.69) instead of skipped.');
      r.collect(() => {
        const f = s.fanout!();
        for (const [collection, n] of Object.entries(f.lists)) lists.setTotal({ collection }, n);
        for (const [collection, n] of Object.entries(f.partialLists)) partial.setTotal({ collection }, n);
        for (const [podId, byReason] of Object.entries(f.podMissing)) for (const [reason, n] of Object.entries(byReason)) missing.setTotal({ pod_id: podId, reason }, n);
        minimal.setTotal(undefined, f.minimalRecords);
      });
    }
    if (s.jobs) {
      const jobs = r.gauge('trio2o_jobs', 'Jobs in the state store (all sites), by type and status.', ['type', 'status']);
      r.collect(async () => {
        const counts = await s.jobs!();
        jobs.reset();
        const types = new Set(counts.map((c) => c.type));
        for (const type of types) for (const st of ['new', 'running', 'success', 'fail']) jobs.set({ type, status: st }, 0);
        for (const c of counts) jobs.set({ type: c.type, status: c.status }, c.n);
      });
    }
    if (s.jobRunner) {
      const attempts = r.counter('trio2o_job_attempts_total', "Job attempts this process ran, by type and outcome (success, retry, fail; superseded: a newer job of the same work was waiting; lost: the lease was lost before the result was written).", ['type', 'outcome']);
      const seconds = r.counter('trio2o_job_attempt_seconds_total', 'Seconds this process spent in job attempts, by type.', ['type']);
      const running = r.gauge('trio2o_job_attempts_running', 'Job attempts running in this process now.');
      const waits = r.counter('trio2o_job_runner_primary_waits_total', 'Runner ticks skipped because the primary could not be written.');
      r.collect(() => {
        const st = s.jobRunner!();
        for (const a of st.attempts) attempts.setTotal({ type: a.type, outcome: a.outcome }, a.n);
        for (const x of st.seconds) seconds.setTotal({ type: x.type }, x.s);
        running.set(undefined, st.running);
        waits.setTotal(undefined, st.primaryWaits);
      });
    }
    const rss = r.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
    const heap = r.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.');
    const start = r.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.');
    r.collect(() => {
      const m = process.memoryUsage();
      rss.set(undefined, m.rss);
      heap.set(undefined, m.heapUsed);
      start.set(undefined, this.#startedAt);
    });
  }
}
