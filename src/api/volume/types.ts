/**
 * The volume type catalog (https://docs.openstack.org/api-ref/block-storage/v3/#volume-types-types),
 * owned by the gateway: list and show for everyone (private types only for admins and the
 * projects given access), create, update and delete for admins, with 404/409 where the original
 * answered 500. Every change is pushed to the pods by jobs (type-push.ts).
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import type { VolumeTypePatch } from '../../store';
import { badRequest, notFound, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { CINDER_QUERY, isNoneString, queryBool, storeWrite } from '../common';
import { pushType } from './type-push';
import { typeMissing, typeView, visibleType } from './types-view';
import { volumeTypeCreate, volumeTypeUpdate } from './schemas';
import { checkBody } from './validation';

export const TYPES_MANAGE = 'volume_extension:types_manage';

/**
 * The answer of show, create and update. Cinder's create and update views have no
 * `qos_specs_id`, and update none of the access flag either (Tempest's schemas forbid them).
 */
async function show(deps: VolumeDeps, c: Context<GatewayEnv>, id: string, after?: 'create' | 'update'): Promise<Response> {
  const auth = c.get('auth');
  const t = await visibleType(deps, id, auth);
  const view = typeView(t, await deps.store.volumeTypeSpecs.get(t.id), auth);
  if (after) delete view.qos_specs_id;
  if (after === 'update') delete view['os-volume-type-access:is_public'];
  return c.json({ volume_type: view });
}

export async function listTypes(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const auth = c.get('auth');
  let isPublic: boolean | undefined = true;
  const asked = c.req.query('is_public');
  // Cinder: only admins choose; 'None' means every type, public or not.
  if (auth.isAdmin && asked !== undefined) isPublic = isNoneString(asked) ? undefined : queryBool(asked, 'is_public', CINDER_QUERY);
  const types = await deps.store.volumeTypes.list({ isPublic, projectId: auth.projectId });
  const specs = await deps.store.volumeTypeSpecs.forTypes(types.map((t) => t.id));
  return c.json({ volume_types: types.map((t) => typeView(t, specs.get(t.id) ?? {}, auth)) });
}

export function showType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  return show(deps, c, c.req.param('id')!);
}

export async function createType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), TYPES_MANAGE);
  const { volume_type: t } = checkBody(volumeTypeCreate, await readJson(c));
  const name = t.name;
  const description = t.description ?? null;
  const isPublic = t['os-volume-type-access:is_public'] ?? true;
  const specs = t.extra_specs ?? {};
  const created = await storeWrite(() => deps.store.volumeTypes.create({ name, description, is_public: isPublic }), `Volume Type ${name} already exists.`);
  await storeWrite(() => deps.store.volumeTypeSpecs.set(created.id, specs));
  await pushType(deps, created.id);
  return show(deps, c, created.id, 'create');
}

export async function updateType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), TYPES_MANAGE);
  const id = c.req.param('id')!;
  const { volume_type: t } = checkBody(volumeTypeUpdate, await readJson(c));
  const patch: VolumeTypePatch = {};
  if (t.name !== undefined && t.name !== null) patch.name = t.name;
  if (t.description !== undefined) patch.description = t.description;
  const isPublic = t['os-volume-type-access:is_public'] ?? t.is_public;
  if (isPublic !== undefined && isPublic !== null) patch.is_public = isPublic;
  if (Object.keys(patch).length === 0) throw badRequest('Specify volume type name, description, is_public or a combination thereof.');
  const before = await deps.store.volumeTypes.get(id);
  if (!before) throw notFound(typeMissing(id));
  const after = await storeWrite(() => deps.store.volumeTypes.update(id, patch), `Volume Type ${patch.name} already exists.`);
  if (!after) throw notFound(typeMissing(id));
  await pushType(deps, id);
  return show(deps, c, id, 'update');
}

export async function deleteType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), TYPES_MANAGE);
  const id = c.req.param('id')!;
  const t = await deps.store.volumeTypes.get(id);
  if (!t) throw notFound(typeMissing(id));
  await storeWrite(() => deps.store.volumeTypes.delete(id));
  await pushType(deps, id);
  return c.body(null, 202);
}

