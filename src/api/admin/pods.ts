/** `/v1.0/pods`: register, list, show, update and remove pods. */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import type { Pod, PodPatch } from '../../store';
import { badRequest, conflict, notFound, readJson, unprocessable, validate } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { hasKey, PodCreateSchema, PodUpdateSchema } from './schemas';
import { storeWrite } from '../common';
import { enqueuePodCatalogSync } from '../../jobs';

/** A bottom pod that is (now) enabled gets the gateway's whole catalog by a job. */
async function syncCatalog(deps: AdminDeps, pod: Pod): Promise<void> {
  if (pod.az_name !== '' && pod.enabled) await storeWrite(() => enqueuePodCatalogSync(deps, pod.pod_id));
}

/**
 * Refuses a top AZ named like a host aggregate's zone: that zone lives inside one pod (where its
 * hosts are), while a top AZ routes by the tenant's bindings; one name cannot mean both. The
 * compute API refuses the reverse (an aggregate zone named like a top AZ).
 */
async function checkAzName(deps: AdminDeps, azName: string): Promise<void> {
  if (azName === '') return;
  const [a] = await deps.store.aggregates.withZone(azName);
  if (a) throw conflict(`az_name ${azName} is the availability zone of host aggregate ${a.name} (id ${a.id}); a pod's az_name needs a name of its own`);
}

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['pods'][number]) => adminRule('pods', op);

async function mustGet(deps: AdminDeps, podId: string): Promise<Pod> {
  const pod = await deps.store.pods.get(podId);
  if (!pod) throw notFound(`Pod ${podId} could not be found.`);
  return pod;
}

export function podsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { store } = deps;

  app.post('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('create'));
    const body = await readJson(c);
    if (!hasKey(body, 'pod')) throw badRequest('Request body pod not found');
    const { pod: p } = validate(PodCreateSchema, body);
    if (p.pod_name === '') throw unprocessable(p.az_name === '' ? 'Valid pod_name is required for top region' : 'Valid pod_name is required for pod');
    const top = await store.pods.top();
    // At most one top region, whether az_name was omitted or sent empty.
    if (p.az_name === '' && top) throw conflict('Top region already exists');
    if (p.az_name !== '' && top && top.pod_name === p.pod_name) throw conflict('Pod region name duplicated with the top region name');
    await checkAzName(deps, p.az_name);
    const pod = await storeWrite(
      () => store.pods.create({ ...p, pod_az_name: p.az_name === '' ? '' : p.pod_az_name, endpoints: p.endpoints ?? null }),
      `Pod ${p.pod_name} already exists`,
    );
    deps.onPodChanged?.(pod.pod_id);
    await syncCatalog(deps, pod);
    return c.json({ pod });
  });

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    return c.json({ pods: await store.pods.list() });
  });

  app.get('/:podId', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    return c.json({ pod: await mustGet(deps, c.req.param('podId')) });
  });

  app.put('/:podId', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('update'));
    // An unknown pod is 404 whatever the body says.
    const pod = await mustGet(deps, c.req.param('podId'));
    const body = await readJson(c);
    if (!hasKey(body, 'pod')) throw badRequest('Request body pod not found');
    const { pod: patch } = validate(PodUpdateSchema, body);
    if (patch.pod_name !== undefined && patch.pod_name !== pod.pod_name) {
      throw badRequest('pod_name cannot be changed: it must stay equal to the Keystone region name');
    }
    if (patch.az_name !== undefined && patch.az_name !== pod.az_name) {
      if (pod.az_name === '' || patch.az_name === '') throw badRequest('az_name cannot move a pod between top region and bottom pod');
      const refs = await store.pods.references(pod.pod_id);
      if (refs.bindings > 0) throw conflict(`Pod ${pod.pod_id} has bindings; its az_name cannot change`);
      await checkAzName(deps, patch.az_name);
    }
    if (pod.az_name === '' && patch.pod_az_name) throw badRequest('The top region has no pod_az_name');
    const changes: PodPatch = { ...patch };
    delete changes.pod_name;
    const updated = await storeWrite(() => store.pods.update(pod.pod_id, changes), 'Pod update conflicts with an existing pod');
    deps.onPodChanged?.(pod.pod_id);
    if (updated && (!pod.enabled || patch.endpoints !== undefined)) await syncCatalog(deps, updated);
    return c.json({ pod: updated });
  });

  app.delete('/:podId', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const pod = await mustGet(deps, c.req.param('podId'));
    const refs = await store.pods.references(pod.pod_id);
    // Refuse rather than orphan routings or fail on a foreign key.
    if (refs.bindings > 0 || refs.routings > 0) {
      throw conflict(`Pod ${pod.pod_id} is still referenced by ${refs.bindings} binding(s) and ${refs.routings} routing(s)`);
    }
    await storeWrite(() => store.pods.delete(pod.pod_id), 'Pod is in use');
    deps.onPodChanged?.(pod.pod_id);
    return c.body(null, 200);
  });

  return app;
}
