/**
 * `/v1.0/routings`: read and repair the routing table (which pod owns which id). Lists page by
 * routing id with limit/marker, capped at `[api] max_limit`.
 */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import type { RoutingStatus } from '../../store';
import { badRequest, notFound, publicBase } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { storeWrite } from '../common';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['routings'][number]) => adminRule('routings', op);

function positiveInt(value: string | undefined, name: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || (!allowZero && Number(value) === 0)) throw badRequest(`Invalid ${name}: ${value} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return Number(value);
}

function routingId(raw: string): number {
  const id = positiveInt(raw, 'routing id');
  if (id === undefined) throw badRequest('Invalid routing id');
  return id;
}

export function routingsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { store } = deps;

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const q = c.req.query();
    if (q.status !== undefined && q.status !== 'pending' && q.status !== 'active') throw badRequest('Invalid status: must be pending or active');
    const limit = Math.min(positiveInt(q.limit, 'limit', true) ?? deps.maxLimit, deps.maxLimit);
    const marker = positiveInt(q.marker, 'marker');
    if (marker !== undefined && !(await store.routings.get(marker))) throw badRequest(`marker [${marker}] not found`);
    const filter = { project_id: q.project_id, resource_type: q.resource_type, pod_id: q.pod_id, top_id: q.top_id, status: q.status as RoutingStatus | undefined };
    const routings = await store.routings.list(filter, { limit, marker });
    const body: Record<string, unknown> = { routings };
    const last = routings.at(-1);
    if (limit > 0 && routings.length === limit && last) {
      const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'marker')), marker: String(last.id) });
      body.routings_links = [{ rel: 'next', href: `${publicBase(c, deps.publicUrl)}/v1.0/routings?${params}` }];
    }
    return c.json(body);
  });

  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const routing = await store.routings.get(routingId(c.req.param('id')));
    if (!routing) throw notFound('Routing not found');
    return c.json({ routing });
  });

  app.delete('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const id = routingId(c.req.param('id'));
    if (!(await store.routings.get(id))) throw notFound('Routing not found');
    await storeWrite(() => store.routings.delete(id), 'Routing is in use');
    return c.body(null, 200);
  });

  return app;
}
