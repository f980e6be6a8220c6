/** What the admin API needs from the rest of the gateway. */
import type { Store } from '../../store';
import type { PodDirectory, RouteTable } from '../../routing';
import type { ServiceCaller } from '../../jobs';
import type { Authorizer } from '../../auth';
import type { AdminApiRule } from './policy-rules';
import type { GatewayEnv } from '../../http';
import type { BreakerState, ServiceType } from '../../pods';
import type { VersionRange } from '../../discovery';

/** What this process knows about one pod at run time (for `GET /v1.0/status`). */
export interface PodRuntime {
  reachable: boolean;
  breaker: BreakerState;
  /** The newest failure this process saw on the pod, kept after it recovers. */
  lastFailure: { error: string; service: ServiceType; at: string } | null;
  /** What the pod's version documents said; undefined before it answered. */
  compute: VersionRange | undefined;
  volume: VersionRange | undefined;
}

export interface AdminDeps {
  store: Store;
  /** Routing changes go through the route table, so the route cache never serves a changed row. */
  routes: RouteTable;
  podDir: PodDirectory;
  /** Calls to pods with the gateway's own credentials (adoption and move checks). */
  service: ServiceCaller;
  policy: Authorizer<AdminApiRule>;
  /** `[api] max_limit`: the largest page a list returns. @default 1000 */
  maxLimit: number;
  /** `[admin_api] public_url`, for links. */
  publicUrl?: string;
  /** Run-time state of a pod (breaker, reachability, discovery), for the status report. */
  runtime: { pod(podId: string): PodRuntime };
  /** Called after a pod changed or went away, so caches (endpoints, pods) drop it. */
  onPodChanged?: (podId: string) => void;
}

export type AdminEnv = GatewayEnv;
