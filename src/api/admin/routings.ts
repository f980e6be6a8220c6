/**
 * `/v1.0/routings`: read and repair the routing table (which pod owns which id). Lists page by
 * routing id with limit/marker, capped at `[api] max_limit`.
 */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import type { RoutingStatus } from '../../store';
import { badRequest, firstValues, isFullPage, nextLink, notFound, parseInteger } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { ADMIN_QUERY, adminInt, pageParams, queryOf, storeWrite } from '../common';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['routings'][number]) => adminRule('routings', op);
const MARKER = adminInt('marker');
const ROUTING_ID = adminInt('routing id');

export function routingsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { store } = deps;

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const q = c.req.query();
    if (q.status !== undefined && q.status !== 'pending' && q.status !== 'active') throw badRequest('Invalid status: must be pending or active');
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

  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const routing = await store.routings.get(parseInteger(c.req.param('id'), ROUTING_ID));
    if (!routing) throw notFound('Routing not found');
    return c.json({ routing });
  });

  app.delete('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const id = parseInteger(c.req.param('id'), ROUTING_ID);
    if (!(await store.routings.get(id))) throw notFound('Routing not found');
    await storeWrite(() => store.routings.delete(id), 'Routing is in use');
    return c.body(null, 200);
  });

  return app;
}
