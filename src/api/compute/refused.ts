/**
 * The Nova paths the gateway deliberately does not serve, each answered as Nova answers a
 * feature it lacks, never with a bare 404 at a path Nova serves:
 * - APIs Nova itself removed: 410, as Nova's removed controllers answer (`wsgi.removed`);
 * - Nova's proxies to Neutron (below 2.36): 501 notImplemented with the reason (Nova's
 *   `raise_feature_not_supported`); from the microversion where Nova dropped them, Nova's own 404;
 * - caching images on an aggregate's hosts (2.81): 501, the pods' compute APIs do it for their
 *   own hosts.
 * Paths the gateway serves only where Nova does (the volume proxy, `os-volumes_boot`) answer
 * Nova's 404 from the microversion that removed them through `servedBelow`.
 */
import type { Context } from 'hono';
import { ApiError, isSupported, notFound } from '../../http';
import type { RouteRow } from '../common';
import type { ComputeEnv } from './deps';

/** webob's text of a bare HTTPGone, what Nova's removed APIs answer. */
export const GONE_MESSAGE = 'This resource is no longer available.  No forwarding address is given.';

const NETWORKING = 'Trio2o does not proxy networking: use the Networking (Neutron) API of the region the server lives in.';
const AGGREGATE_IMAGES = "Trio2o does not cache images on an aggregate's hosts: cache images through each pod's own compute API.";

/** [paths, the reason (or Gone), the microversion from which Nova answers 404]. */
const REFUSED: [paths: string[], reason: string | 'gone', goneFrom?: string][] = [
  [['/os-agents', '/os-agents/*', '/os-cells', '/os-cells/*', '/os-certificates', '/os-certificates/*', '/os-cloudpipe', '/os-cloudpipe/*', '/os-fping', '/os-fping/*', '/os-fixed-ips/*', '/os-floating-ip-dns', '/os-floating-ip-dns/*', '/os-floating-ips-bulk', '/os-floating-ips-bulk/*', '/os-networks', '/os-networks/*', '/os-security-group-default-rules', '/os-security-group-default-rules/*', '/os-tenant-networks', '/os-tenant-networks/*'], 'gone'],
  [['/os-floating-ips', '/os-floating-ips/*', '/os-floating-ip-pools', '/os-security-groups', '/os-security-groups/*', '/os-security-group-rules', '/os-security-group-rules/*'], NETWORKING, '2.36'],
  [['/os-aggregates/:id/images'], AGGREGATE_IMAGES],
];

/** The 501 messages, for callers that must tell a deliberate refusal from a failure. */
export const REFUSAL_MESSAGES: readonly string[] = [NETWORKING, AGGREGATE_IMAGES];

const PATTERNS = REFUSED.flatMap(([paths, reason]) => (reason === 'gone' ? [] : paths)).map(
  (p) => new RegExp(`^/v2\\.1(/[^/]+)?${p.replace(/\/\*$/, '(/.*)?').replace(/:id/, '[^/]+')}/?$`),
);

/** Whether `pathname` (`/v2.1[/{project}]/...`) is one the gateway refuses with 501. */
export function refusedWith501(pathname: string): boolean {
  return PATTERNS.some((re) => re.test(pathname));
}

/**
 * For a path Nova serves only below `goneFrom`: Nova's own 404 from that microversion on (its
 * `api_version` decorator matches no method there).
 */
export function servedBelow(c: Context<ComputeEnv>, goneFrom: string): void {
  if (isSupported(c.get('apiVersion'), goneFrom)) throw notFound('The resource could not be found.');
}

/** `os-volumes_boot`, Nova's old alias of `/servers`, removed at 2.103 (volumes_boot.py). */
export function volumesBoot(c: Context<ComputeEnv>, serve: () => Promise<Response>): Promise<Response> {
  servedBelow(c, '2.103');
  return serve();
}

function refuse(c: Context<ComputeEnv>, reason: string, goneFrom?: string): never {
  if (goneFrom) servedBelow(c, goneFrom);
  if (reason === 'gone') throw new ApiError(410, GONE_MESSAGE);
  throw new ApiError(501, reason);
}

/** The refused paths as route rows (every method). */
export function refusedRoutes(): RouteRow[] {
  return REFUSED.flatMap(([paths, reason, goneFrom]) => paths.map((p): RouteRow => ['ALL', p, (c) => refuse(c, reason, goneFrom)]));
}
