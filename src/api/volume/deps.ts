/** What the volume API needs from the rest of the gateway. */
import type { MiddlewareHandler } from 'hono';
import type { Authorizer } from '../../auth';
import type { ProxyDeps } from '../../proxy';
import type { PodDirectory, RouteTable } from '../../routing';
import type { Scheduler } from '../../scheduling';
import type { Store } from '../../store';
import type { GatewayEnv, Version } from '../common';
import type { Fanout } from '../../fanout';

export interface VolumeDeps {
  store: Store;
  routes: RouteTable;
  podDir: PodDirectory;
  scheduler: Scheduler;
  /** Pass-through to the pods' `volumev3` endpoints, links pointing at the volume listener. */
  proxy: ProxyDeps;
  policy: Authorizer;
  /** Authentication for everything but the version documents. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** The highest volume microversion to advertise now (follows the pods). */
  maxVersion: () => Version;
  publicUrl?: string;
  /** `[api] max_limit`. @default 1000 */
  maxLimit: number;
  /** `[pods] list_timeout` in ms. @default 10000 */
  listTimeoutMs: number;
  /** Shared list fan-out state (metrics). */
  fanout: Fanout;
}
