/**
 * `/v1.0/bindings`: tenant–pod bindings. Binding a tenant to a pod in an AZ where it already has
 * another active binding moves it: the old row becomes history.
 */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import { badRequest, conflict, notFound, readJson, unprocessable, validate } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { BindingCreateSchema, hasKey } from './schemas';
import { ADMIN_QUERY, queryBool, storeWrite } from '../common';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['bindings'][number]) => adminRule('bindings', op);

export function bindingsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { store } = deps;

  app.post('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('create'));
    const body = await readJson(c);
    if (!hasKey(body, 'pod_binding')) throw badRequest('Request body pod_binding not found');
    const { pod_binding: b } = validate(BindingCreateSchema, body);
    if (b.tenant_id === '' || b.pod_id === '') throw unprocessable('Tenant_id and pod_id can not be empty');
    const pod = await store.pods.get(b.pod_id);
    if (!pod) throw unprocessable('pod_id not found in pod');
    if (pod.az_name === '') throw unprocessable('Top region can not be bound');
    if (!pod.enabled) throw unprocessable(`Pod ${pod.pod_id} is disabled and can not be bound`);
    const current = await store.bindings.active(b.tenant_id);
    if (current.some((x) => x.pod_id === pod.pod_id)) throw conflict('Pod binding already exists');
    const binding = await storeWrite(() => store.bindings.bind(b.tenant_id, pod.pod_id, pod.az_name), 'Pod binding already exists');
    return c.json({ pod_binding: binding });
  });

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const q = c.req.query();
    const list = await store.bindings.list({ tenant_id: q.tenant_id, pod_id: q.pod_id, is_binding: q.is_binding === undefined ? undefined : queryBool(q.is_binding, 'is_binding', ADMIN_QUERY) });
    return c.json({ pod_bindings: list });
  });

  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const binding = await store.bindings.get(c.req.param('id'));
    if (!binding) throw notFound('Tenant pod binding not found');
    return c.json({ pod_binding: binding });
  });

  app.delete('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const id = c.req.param('id');
    if (!(await store.bindings.get(id))) throw notFound('Pod binding not found');
    await storeWrite(() => store.bindings.delete(id), 'Pod binding is in use');
    return c.body(null, 200);
  });

  return app;
}
