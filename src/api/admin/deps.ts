/** What the admin API needs from the rest of the gateway. */
import type { Store } from '../../store';
import type { PodDirectory, RouteTable } from '../../routing';
import type { ServiceCaller } from '../../jobs';
import type { Authorizer } from '../../auth';
import type { AdminApiRule } from './policy-rules';
import type { GatewayEnv } from '../../http';

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
  /** Called after a pod changed or went away, so caches (endpoints, pods) drop it. */
  onPodChanged?: (podId: string) => void;
}

export type AdminEnv = GatewayEnv;
