/**
 * A route miss for a well-formed id: the resource may exist in one of the tenant's pods without a
 * routing (made in the pod before it was registered, restored directly in a pod, a routing lost).
 * The tenant's pods are asked in parallel (askPods: bounded by the list deadline) with the
 * caller's own token; when exactly one has it, and it belongs to the caller's project, it is
 * adopted and the request goes on. Misses are remembered briefly, so a client polling an id that
 * exists nowhere costs the pods one round per `MISS_TTL_MS`. An id the gateway routed once and
 * removed (proven gone, or removed by an admin) is never brought back this way: only
 * `POST /v1.0/routings` adopts it again.
 */
import type { Context } from 'hono';
import { askPods, tenantPodIds, type FanoutDeps } from '../../fanout';
import type { GatewayEnv } from '../../http';
import { RESOURCE_KINDS } from '../../jobs';
import type { ResourceType, RouteTable } from '../../routing';
import type { Routing } from '../../store';

/** How long "no pod has this id" is remembered. */
export const MISS_TTL_MS = 10_000;
/** Misses remembered at most (the oldest go first). */
export const MISS_CACHE_SIZE = 10_000;

/** Nova and Cinder ids are UUIDs; anything else is not worth asking pods about. */
const WELL_FORMED = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export type MissLookup = (c: Context<GatewayEnv>, id: string, type: ResourceType) => Promise<Routing | undefined>;

/** The show path of one resource on a pod, in the caller's project. */
function showPath(type: ResourceType, projectId: string, id: string): string {
  const p = encodeURIComponent(projectId);
  const kind = RESOURCE_KINDS[type];
  return kind.service === 'compute' ? kind.show(id).replace(/^\/v2\.1\//, `/v2.1/${p}/`) : kind.show(id).replace('{project}', p);
}

export function routeMissLookup(deps: FanoutDeps & { routes: RouteTable }): MissLookup {
  const misses = new Map<string, number>();
  return async function lookupInPods(c, id, type) {
    if (!WELL_FORMED.test(id)) return undefined;
    const projectId = c.get('projectId');
    const key = `${projectId}\u0001${type}\u0001${id}`;
    const until = misses.get(key);
    if (until !== undefined && until > Date.now()) return undefined;
    if (await deps.store.routings.wasRouted(id, type)) return undefined;
    const ids = await tenantPodIds(deps.store, projectId, type);
    const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && p.enabled && ids.has(p.pod_id));
    const kind = RESOURCE_KINDS[type];
    const { answers } = await askPods(deps, c, pods, { service: kind.service, name: 'route-miss', question: () => ({ path: showPath(type, projectId, id) }) });
    const found = answers.filter((a) => a.status === 200 && a.body && typeof a.body === 'object' && kind.one in a.body);
    const owner = found.length === 1 ? kind.projectOf((found[0]!.body as Record<string, Record<string, unknown>>)[kind.one]!) : undefined;
    // An admin's token sees every project: adopt only what the pod names as the caller's.
    const mine = found.length === 1 && (owner === projectId || (owner === undefined && !c.get('auth').isAdmin));
    if (!mine) {
      if (misses.size >= MISS_CACHE_SIZE) misses.delete(misses.keys().next().value!);
      misses.set(key, Date.now() + MISS_TTL_MS);
      return undefined;
    }
    return (await deps.routes.adopt(projectId, found[0]!.pod.pod_id, type, id)).routing;
  };
}
