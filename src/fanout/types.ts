/**
 * The contract of the fan-out: what a resource list (servers, volumes, snapshots, backups) tells
 * the generic machinery, and what the machinery needs from the rest of the gateway. Everything
 * resource-specific, the sort dialect included, is in a `FanoutSpec` written by the API that
 * owns the resource (api/compute, api/volume); nothing in src/fanout knows Nova or Cinder.
 */
import type { Context } from 'hono';
import type { ApiError, GatewayEnv, IntRule } from '../http';
import type { ServiceType } from '../pods';
import type { InnerZones, ProxyDeps } from '../proxy';
import type { PodDirectory, ResourceType, RouteTable } from '../routing';
import type { Pod, Routing, Store } from '../store';
import type { CursorCache } from './cursors';
import type { FanoutMetrics } from './metrics';
import type { SortDialect } from './sort';

/** One resource as a pod lists it (detailed view); `id` is the routed id. */
export type Item = Record<string, unknown> & { id: string };

/** Per-gateway state of the fan-out: one instance shared by every list of every listener. */
export interface Fanout {
  metrics: FanoutMetrics;
  /** Where each pod stood at the end of recent pages, so the next page starts there. */
  cursors: CursorCache;
}

/** The largest page a list returns, whatever `limit` asks (`[api] max_limit`). */
export const DEFAULT_MAX_LIMIT = 1000;
/** Each pod's deadline during a fan-out (`[pods] list_timeout`). */
export const DEFAULT_LIST_TIMEOUT_MS = 10_000;

/** What the fan-out needs from the gateway (a subset of ComputeDeps and the volume deps). */
export interface FanoutDeps {
  store: Store;
  routes: RouteTable;
  podDir: PodDirectory;
  proxy: ProxyDeps;
  /** `[api] max_limit`: the largest page. @default 1000 */
  maxLimit: number;
  /** `[pods] list_timeout` in ms: each pod's deadline for one list. @default 10000 */
  listTimeoutMs: number;
  /** The listener's public URL (links), if configured. */
  publicUrl?: string;
  fanout: Fanout;
}

/** Minimal records for the resources of a pod that did not answer (Nova 2.69). */
export interface DownRecords {
  /** True when this request may get minimal records instead of skipping the pod (Nova's rule). */
  allowed(c: Context<GatewayEnv>, params: URLSearchParams): boolean;
  /** The minimal record of one routed resource. */
  build(routing: Routing, c: Context<GatewayEnv>, detail: boolean): Item;
}

/** Everything resource-specific about one kind of list. */
export interface FanoutSpec {
  /** Body key of the list and prefix of `<collection>_links`: 'servers', 'volumes', ... */
  collection: string;
  /** Body key of one resource in a show answer: 'server', 'volume', ... */
  member: string;
  /** Routing resource type. */
  resourceType: ResourceType;
  service: ServiceType;
  /** The caller asked for the detailed list (`/detail`); pods are always asked for detail. */
  detail: boolean;
  /** Top path of the detailed list on a pod, e.g. `/v2.1/p1/servers/detail`. */
  podListPath: string;
  /** Top path of one resource on a pod (reads a marker's sort values). */
  podShowPath(id: string): string;
  sort: SortDialect;
  /** How the API spells `limit` and words a bad one (parsed before any pod is asked). */
  limit: IntRule;
  /** Shapes a merged detailed item into the view the caller asked for (e.g. Nova's index view). */
  view?(item: Item): Item;
  /**
   * The availability zone: the query parameter selects pods and is rewritten to each pod's
   * `pod_az_name` (dropped when empty); `field` in each item is shown as the pod's top AZ. An
   * `inner` zone (a host aggregate's) selects the pods holding it and is sent and shown unchanged.
   */
  az?: { param: string; field: string; always?: boolean; inner?: InnerZones };
  /** Absent: a pod that does not answer is skipped (volumes). */
  downRecords?: DownRecords;
  /** The answer for a marker that is not a routed resource of the caller (Nova: 400). */
  markerNotFound(marker: string): ApiError;
}

/** Why a pod is missing from a list (response header, metrics). */
export type MissingReason = 'unreachable' | 'timeout' | 'bad_response' | 'circuit_open' | 'no_endpoint' | `status_${number}`;

export interface MissingPod {
  pod: Pod;
  reason: MissingReason;
  /** How its resources were shown: minimal records (2.69) or not at all. */
  shown: 'minimal' | 'skipped';
}
