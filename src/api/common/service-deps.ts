/** What the compute and volume APIs need from the rest of the gateway (the same machinery). */
import type { MiddlewareHandler } from 'hono';
import type { Authorizer } from '../../auth';
import type { ProxyDeps } from '../../proxy';
import type { ServiceCaller } from '../../jobs';
import type { Fanout } from '../../fanout';
import type { PodDirectory, RouteTable } from '../../routing';
import type { Scheduler } from '../../scheduling';
import type { Store } from '../../store';
import type { GatewayEnv } from '../../http';
import type { Version } from '../../http';
import type { MissLookup } from './route-miss';

/** @typeParam R the policy rules the API asks for */
export interface ServiceDeps<R extends string = string> {
  store: Store;
  routes: RouteTable;
  podDir: PodDirectory;
  scheduler: Scheduler;
  /** Pass-through to the pods, links pointing at this listener. */
  proxy: ProxyDeps;
  /** Calls to pods with the gateway's own credentials (adoption after a create). */
  service: ServiceCaller;
  policy: Authorizer<R>;
  /** Authentication for everything but the version documents. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** The highest microversion to advertise now (follows the pods). */
  maxVersion: () => Version;
  /**
   * Resolves when `maxVersion` follows the pods (the discovery round after a start or a pod
   * change has ended); undefined when it already does. @default already
   */
  versionsReady?: () => Promise<void> | undefined;
  publicUrl?: string;
  /** `[api] max_limit`. @default 1000 */
  maxLimit: number;
  /** `[pods] list_timeout` in ms. @default 10000 */
  listTimeoutMs: number;
  /** Fan-out state shared by every list (metrics, page positions). */
  fanout: Fanout;
  /** Route misses of well-formed ids ask the tenant's pods (route-miss.ts). */
  missLookup?: MissLookup;
}
