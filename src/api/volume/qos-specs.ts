/**
 * QoS specs (https://docs.openstack.org/api-ref/block-storage/v3/#quality-of-service-qos-specs-qos-specs),
 * a catalog owned by the gateway like volume types, admin-only as in Cinder
 * (cinder/policies/qos_specs.py): create, list, show, set keys, delete_keys, delete (400 while a
 * type uses it, unless `force`), associations, associate/disassociate a volume type and
 * disassociate_all. Each change records one `catalog_item_push` per pod (the pod's own id is
 * kept); an association is part of the volume type and goes with its `volume_type_push`.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import type { QosBody } from '../../jobs';
import { badRequest, boolFromString, notFound, publicBase, readJson, type GatewayEnv } from '../../http';
import type { CatalogItem } from '../../store';
import { storeWrite } from '../common';
import type { VolumeDeps } from './deps';
import type { VolumeRule } from './policy-rules';
import { pushCatalogItem, pushType } from './type-push';
import { typeMissing } from './types-view';

/** Cinder's consumers of a QoS spec (cinder/volume/qos_specs.py). */
const CONSUMERS = ['front-end', 'back-end', 'both'];

const missing = (id: string) => `No such QoS spec ${id}.`;

const can = (deps: VolumeDeps, c: Context<GatewayEnv>, what: 'get_all' | 'get' | 'create' | 'update' | 'delete') =>
  authorize(deps.policy, c.get('auth'), `volume_extension:qos_specs_manage:${what}` as VolumeRule);

function view(q: CatalogItem<QosBody>) {
  return { id: q.id, name: q.name, consumer: q.body.consumer, specs: { ...q.body.specs } };
}

/** self and bookmark links as cinder.api.common.ViewBuilder builds them, at the gateway. */
function links(deps: VolumeDeps, c: Context<GatewayEnv>, id: string) {
  const base = publicBase(c, deps.publicUrl);
  const p = c.req.param('project_id');
  const seg = p === undefined ? '' : `/${p}`;
  return [
    { rel: 'self', href: `${base}/v3${seg}/qos-specs/${id}` },
    { rel: 'bookmark', href: `${base}${seg}/qos-specs/${id}` },
  ];
}

async function find(deps: VolumeDeps, id: string): Promise<CatalogItem<QosBody>> {
  const q = await deps.store.catalogItems.get<QosBody>('qos_spec', id);
  if (!q) throw notFound(missing(id));
  return q;
}

const push = (deps: VolumeDeps, id: string) => pushCatalogItem(deps, 'qos_spec', id);

/** The body's `qos_specs` object with every value a string (Cinder's schema: string values). */
function specsOf(body: unknown): Record<string, string> {
  const q = (body as { qos_specs?: unknown } | null)?.qos_specs;
  if (!q || typeof q !== 'object' || Array.isArray(q)) throw badRequest("Invalid input for field/attribute qos_specs. Value: None. 'qos_specs' is a required property");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (typeof v !== 'string' && typeof v !== 'number') throw badRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string'`);
    out[k] = String(v);
  }
  return out;
}

function consumerOf(specs: Record<string, string>, current: string): string {
  if (!('consumer' in specs)) return current;
  const consumer = specs.consumer!;
  if (!CONSUMERS.includes(consumer)) throw badRequest(`Invalid qos specs: Valid consumer of QoS specs are: ${JSON.stringify(CONSUMERS)}`);
  return consumer;
}

export async function listQos(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'get_all');
  return c.json({ qos_specs: (await deps.store.catalogItems.list<QosBody>('qos_spec')).map(view) });
}

export async function showQos(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'get');
  const q = await find(deps, c.req.param('id')!);
  return c.json({ qos_specs: view(q), links: links(deps, c, q.id) });
}

export async function createQos(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'create');
  const specs = specsOf(await readJson(c));
  const name = (specs.name ?? '').trim();
  if (name === '') throw badRequest("Invalid input for field/attribute qos_specs. Value: None. 'name' is a required property");
  delete specs.name;
  const consumer = consumerOf(specs, 'back-end');
  delete specs.consumer;
  const q = await storeWrite(() => deps.store.catalogItems.create<QosBody>('qos_spec', { name, body: { consumer, specs } }), `QoS Specs ${name} already exists.`);
  await push(deps, q.id);
  return c.json({ qos_specs: view(q), links: links(deps, c, q.id) });
}

export async function updateQos(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'update');
  const body = await readJson(c);
  const specs = specsOf(body);
  const q = await find(deps, c.req.param('id')!);
  const consumer = consumerOf(specs, q.body.consumer);
  delete specs.consumer;
  await storeWrite(() => deps.store.catalogItems.update<QosBody>('qos_spec', q.id, { consumer, specs: { ...q.body.specs, ...specs } }));
  await push(deps, q.id);
  return c.json(body as Record<string, unknown>);
}

export async function deleteQosKeys(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'update');
  const keys = (await readJson(c) as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw badRequest("Invalid input for field/attribute keys. Value: None. 'keys' is a required property");
  const q = await find(deps, c.req.param('id')!);
  const specs = { ...q.body.specs };
  for (const k of keys) {
    if (!Object.hasOwn(specs, String(k))) throw notFound(`QoS spec ${q.id} has no spec with key ${String(k)}.`);
    delete specs[String(k)];
  }
  await storeWrite(() => deps.store.catalogItems.update<QosBody>('qos_spec', q.id, { ...q.body, specs }));
  await push(deps, q.id);
  return c.body(null, 202);
}

export async function deleteQos(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'delete');
  const q = await find(deps, c.req.param('id')!);
  const force = boolFromString(c.req.query('force') ?? 'false') === true;
  const users = await deps.store.volumeTypes.withQos(q.id);
  if (users.length > 0 && !force) throw badRequest('Qos specs still in use.');
  await storeWrite(async () => {
    for (const t of users) await deps.store.volumeTypes.setQos(t.id, null);
    await deps.store.catalogItems.delete('qos_spec', q.id);
  });
  for (const t of users) await pushType(deps, t.id);
  await push(deps, q.id);
  return c.body(null, 202);
}

export async function qosAssociations(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'get_all');
  const q = await find(deps, c.req.param('id')!);
  const users = await deps.store.volumeTypes.withQos(q.id);
  return c.json({ qos_associations: users.map((t) => ({ association_type: 'volume_type', name: t.name, id: t.id })) });
}

/** `GET …/associate|disassociate?vol_type_id=` and `GET …/disassociate_all` (Cinder uses GET). */
export async function qosAssociate(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'update');
  const q = await find(deps, c.req.param('id')!);
  const action = c.req.param('action');
  let changed: string[];
  if (action === 'disassociate_all') {
    changed = (await deps.store.volumeTypes.withQos(q.id)).map((t) => t.id);
    await storeWrite(async () => {
      for (const id of changed) await deps.store.volumeTypes.setQos(id, null);
    });
  } else if (action === 'associate' || action === 'disassociate') {
    const typeId = c.req.query('vol_type_id');
    if (!typeId) throw badRequest('Volume Type id must not be None.');
    const t = await deps.store.volumeTypes.get(typeId);
    if (!t) throw notFound(typeMissing(typeId));
    if (action === 'associate' && t.qos_specs_id && t.qos_specs_id !== q.id) {
      throw badRequest(`Invalid volume type: Type ${t.id} is already associated with another qos specs: ${t.qos_specs_id}`);
    }
    const next = action === 'associate' ? q.id : t.qos_specs_id === q.id ? null : t.qos_specs_id;
    changed = next === t.qos_specs_id ? [] : [t.id];
    if (changed.length) await storeWrite(() => deps.store.volumeTypes.setQos(t.id, next));
  } else throw notFound('The resource could not be found.');
  for (const id of changed) await pushType(deps, id);
  return c.body(null, 202);
}

