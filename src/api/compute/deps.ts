/** What the compute API needs from the rest of the gateway. */
import type { MiddlewareHandler } from 'hono';
import type { Authorizer } from '../../auth';
import type { ProxyDeps } from '../../proxy';
import type { Fanout } from '../../fanout';
import type { PodDirectory, RouteTable } from '../../routing';
import type { Scheduler } from '../../scheduling';
import type { Store } from '../../store';
import type { GatewayEnv, Version } from '../common';

export interface ComputeDeps {
  store: Store;
  routes: RouteTable;
  podDir: PodDirectory;
  scheduler: Scheduler;
  proxy: ProxyDeps;
  policy: Authorizer;
  /** Authentication for everything but the version documents. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** The highest microversion to advertise now (follows the pods). */
  maxVersion: () => Version;
  publicUrl?: string;
  /** `[api] max_limit`. @default 1000 */
  maxLimit: number;
  /** `[pods] list_timeout` in ms. @default 10000 */
  listTimeoutMs: number;
  /** Fan-out state shared by every list (metrics, page positions). */
  fanout: Fanout;
}

export type ComputeEnv = GatewayEnv;
