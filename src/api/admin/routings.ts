/**
 * `/v1.0/routings`: read and repair the routing table (which pod owns which id). Lists page by
 * routing id with limit/marker, capped at `[api] max_limit`. Every change goes through the route
 * table, so no site's route cache keeps serving a changed row:
 * - `POST /v1.0/routings` adopts a resource a pod has but the gateway never routed (made in the
 *   pod directly, restored from a backup...), after the pod confirmed it exists;
 * - `PUT /v1.0/routings/{id}` moves a routing to the pod that really has the resource (checked);
 * - `DELETE /v1.0/routings/{id}` removes one routing;
 * - `POST /v1.0/routings/prune` records a job that removes a pod's routings whose resources the
 *   pod no longer has (or, with `force`, all of them, for a pod that is gone for good).
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import { ROUTING_STATUSES, type Pod, type RoutingStatus } from '../../store';
import { RESOURCE_TYPES, type ResourceType } from '../../routing';
import { askResource, ROUTINGS_PRUNE, type PrunePayload } from '../../jobs';
import { badRequest, conflict, firstValues, isFullPage, nextLink, notFound, parseInteger, readJson, unprocessable, validate } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { ADMIN_QUERY, adminInt, pageParams, queryOf, storeWrite } from '../common';
import { hasKey } from './schemas';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['routings'][number]) => adminRule('routings', op);
const MARKER = adminInt('marker');

/**
 * A routing id from the path, or a 404: routing ids are integers, so anything else names no
 * routing — "not found", like an integer no routing has (a path segment is not a malformed
 * parameter the way a bad `limit` is).
 */
function parseRoutingId(raw: string): number {
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound('Routing not found');
  return n;
}

const id = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255));
const resourceType = v.picklist(RESOURCE_TYPES, `must be one of ${RESOURCE_TYPES.join(', ')}`);
const AdoptSchema = v.object({ routing: v.object({ top_id: id, pod_id: id, resource_type: resourceType, project_id: v.optional(id) }) });
const MoveSchema = v.object({ routing: v.strictObject({ pod_id: id }) });
const PruneSchema = v.object({ prune: v.strictObject({ pod_id: id, resource_type: v.optional(resourceType), force: v.optional(v.boolean(), false) }) });

async function bottomPod(deps: AdminDeps, podId: string): Promise<Pod> {
  const pod = await deps.podDir.get(podId);
  if (!pod) throw unprocessable(`Pod ${podId} could not be found.`);
  if (pod.az_name === '') throw unprocessable('The top region holds no resources.');
  return pod;
}

/** The pod's word on a resource, with the gateway's credentials; only "present" lets a repair go on. */
async function mustExist(deps: AdminDeps, pod: Pod, type: ResourceType, topId: string): Promise<string | undefined> {
  const seen = await askResource(deps.service, pod, type, topId);
  if (seen.state === 'gone') throw conflict(`Pod ${pod.pod_name} has no ${type} ${topId}.`);
  if (seen.state === 'unknown') throw conflict(`Pod ${pod.pod_name} could not confirm ${type} ${topId}: ${seen.reason}.`);
  return seen.projectId;
}

export function routingsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { store } = deps;

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const q = c.req.query();
    if (q.status !== undefined && !ROUTING_STATUSES.includes(q.status as RoutingStatus)) throw badRequest(`Invalid status: must be one of ${ROUTING_STATUSES.join(', ')}`);
    const { limit, marker: given } = pageParams(queryOf(c), ADMIN_QUERY.limit, deps.maxLimit);
    const marker = given === undefined ? undefined : parseInteger(given, MARKER);
    if (marker !== undefined && !(await store.routings.get(marker))) throw badRequest(`marker [${marker}] not found`);
    const filter = { project_id: q.project_id, resource_type: q.resource_type, pod_id: q.pod_id, top_id: q.top_id, status: q.status as RoutingStatus | undefined };
    const routings = await store.routings.list(filter, { limit, marker });
    const body: Record<string, unknown> = { routings };
    const last = routings.at(-1);
    if (isFullPage(limit, routings.length) && last) {
      // The first value of each parameter, unsorted, the new marker last.
      const query = firstValues(queryOf(c));
      query.delete('marker');
      body.routings_links = [nextLink(c, String(last.id), { publicUrl: deps.publicUrl, path: '/v1.0/routings', query })];
    }
    return c.json(body);
  });

  app.post('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('create'));
    const body = await readJson(c);
    if (!hasKey(body, 'routing')) throw badRequest('Request body routing not found');
    const { routing: r } = validate(AdoptSchema, body);
    const pod = await bottomPod(deps, r.pod_id);
    const existing = await store.routings.lookup(r.top_id, r.resource_type);
    if (existing) throw conflict(`${r.resource_type} ${r.top_id} is routed already (routing ${existing.id}, pod ${existing.pod_id}).`);
    const owner = await mustExist(deps, pod, r.resource_type, r.top_id);
    if (r.project_id !== undefined && owner !== undefined && owner !== r.project_id) {
      throw conflict(`${r.resource_type} ${r.top_id} belongs to project ${owner} in pod ${pod.pod_name}, not ${r.project_id}.`);
    }
    const projectId = r.project_id ?? owner;
    if (projectId === undefined) throw badRequest(`project_id is required: pod ${pod.pod_name} does not name the owner of ${r.resource_type} ${r.top_id}.`);
    const adopted = await storeWrite(() => deps.routes.adopt(projectId, pod.pod_id, r.resource_type, r.top_id));
    if (!adopted.adopted) throw conflict(`${r.resource_type} ${r.top_id} is routed already (routing ${adopted.routing.id}).`);
    return c.json({ routing: adopted.routing });
  });

  app.post('/prune', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('prune'));
    const body = await readJson(c);
    if (!hasKey(body, 'prune')) throw badRequest('Request body prune not found');
    const { prune: p } = validate(PruneSchema, body);
    if (!p.force) await bottomPod(deps, p.pod_id);
    const payload: PrunePayload = { pod_id: p.pod_id, ...(p.resource_type ? { resource_type: p.resource_type } : {}), force: p.force };
    const job = await storeWrite(() => store.jobs.enqueue(ROUTINGS_PRUNE, p.pod_id, payload, { dedupKey: `${ROUTINGS_PRUNE}:${p.pod_id}:${p.resource_type ?? '*'}:${p.force}` }));
    return c.json({ job }, 202);
  });

  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const routing = await store.routings.get(parseRoutingId(c.req.param('id')));
    if (!routing) throw notFound('Routing not found');
    return c.json({ routing });
  });

  app.put('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('update'));
    const routingId = parseRoutingId(c.req.param('id'));
    // An unknown routing is 404 whatever the body says.
    const current = await store.routings.get(routingId);
    if (!current) throw notFound('Routing not found');
    const body = await readJson(c);
    if (!hasKey(body, 'routing')) throw badRequest('Request body routing not found');
    const { routing: patch } = validate(MoveSchema, body);
    if (current.status === 'pending') throw conflict('A pending routing is resolved by reconciliation, not moved.');
    if (current.pod_id === patch.pod_id) return c.json({ routing: current });
    const pod = await bottomPod(deps, patch.pod_id);
    await mustExist(deps, pod, current.resource_type as ResourceType, current.top_id);
    const moved = await storeWrite(() => deps.routes.move(routingId, pod.pod_id), `${current.resource_type} ${current.top_id} has a routing in pod ${pod.pod_name} already.`);
    if (!moved) throw notFound('Routing not found');
    return c.json({ routing: moved });
  });

  app.delete('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const routingId = parseRoutingId(c.req.param('id'));
    // Through the route table: the cached copy goes at once here, and other sites evict theirs
    // when they read the routing change log after their next sync.
    if (!(await storeWrite(() => deps.routes.remove(routingId)))) throw notFound('Routing not found');
    return c.body(null, 200);
  });

  return app;
}
