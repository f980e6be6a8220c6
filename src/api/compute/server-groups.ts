/**
 * `/os-server-groups` (https://docs.openstack.org/api-ref/compute/#server-groups-os-server-groups).
 * A server group lives in ONE pod: Nova's scheduler applies affinity and anti-affinity among the
 * hosts of one cell, and a group's members must share its database. So:
 * - create goes to the tenant's pod for the default AZ (the scheduler's `select(project, '')`:
 *   any active binding, else the first enabled pod) as a routed create (routing type
 *   `server_group`), the body forwarded whole (`policies` below 2.64, `policy` + `rules` from it);
 * - show and delete are the by-id pass-through to the group's pod (a delete is immediate in Nova,
 *   so the pod's 204 removes the routing);
 * - the list asks the tenant's pods (every enabled pod for an admin's `all_projects`, which Nova
 *   honours on presence for an admin) and concatenates them in pod order; `offset` and `limit`
 *   (Nova's `common.limited`) are applied to the whole;
 * - a server created with the `group` scheduler hint goes to the group's pod (server-create).
 */
import type { Context } from 'hono';
import { askPods, tenantPodIds } from '../../fanout';
import { createRouted, forwardById, deletionEvents } from '../../proxy';
import { badRequest, isSupported, readJson } from '../../http';
import type { Pod } from '../../store';
import { queryOf } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { allowed } from './policy';
import { limited } from './limited';

const groupMissing = (id: string) => `Instance group ${id} could not be found.`;

function nameOf(raw: unknown): string | null {
  const name = (raw as { server_group?: { name?: unknown } } | null)?.server_group?.name;
  return typeof name === 'string' ? name : null;
}

export async function serverGroupCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const raw = await readJson(c);
  const projectId = c.get('projectId');
  const placement = await deps.scheduler.select(projectId, '');
  return createRouted(deps, c, {
    pod: placement.pod,
    service: 'compute',
    type: 'server_group',
    projectId,
    body: JSON.stringify(raw),
    idOf: (json) => (json as { server_group?: { id?: unknown } }).server_group?.id,
    hint: { name: nameOf(raw) },
  });
}

export async function serverGroupById(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'server_group',
    service: 'compute',
    collection: 'os-server-groups',
    missing: groupMissing,
    events: deletionEvents({ deleteIsImmediate: true }),
  });
  return response;
}

export async function serverGroupIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const projectId = c.get('projectId');
  const auth = c.get('auth');
  const params = queryOf(c);
  // From 2.75 Nova refuses query parameters it does not know (its schema is closed).
  if (isSupported(c.get('apiVersion'), '2.75')) {
    for (const k of params.keys()) if (!['all_projects', 'limit', 'offset'].includes(k)) throw badRequest(`Invalid input for query parameters ${k}. Additional properties are not allowed ('${k}' was unexpected)`);
  }
  const allProjects = params.has('all_projects') && auth.isAdmin && allowed(deps.policy, auth, 'os_compute_api:os-server-groups:index:all_projects');
  let pods: Pod[] = (await deps.podDir.list()).filter((p) => p.az_name !== '' && p.enabled);
  if (!allProjects) {
    const ids = await tenantPodIds(deps.store, projectId, 'server_group');
    pods = pods.filter((p) => ids.has(p.pod_id));
  }
  // Each pod answers its whole list (up to its max_limit); paging is the gateway's.
  const search = allProjects ? '?all_projects=True' : '';
  const path = `/v2.1/${encodeURIComponent(projectId)}/os-server-groups`;
  const { answers } = await askPods(deps, c, pods, { service: 'compute', name: 'os-server-groups', question: () => ({ path, search }), accept: (s) => s === 200 });
  const groups = answers.flatMap((a) => {
    const list = (a.body as { server_groups?: unknown } | null)?.server_groups;
    return Array.isArray(list) ? (list as unknown[]) : [];
  });
  return c.json({ server_groups: limited(deps.maxLimit, params, groups) });
}
