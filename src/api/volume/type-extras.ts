/**
 * Extra specs (cinder/api/contrib/types_extra_specs.py) and project access for private types
 * (cinder/api/contrib/volume_type_access.py) of the gateway's type catalog. Reads follow the
 * type's visibility; changes need admin and are pushed to the pods like the type itself.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import { badRequest, notFound, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import type { VolumeRule } from './policy-rules';
import { storeWrite } from '../common';
import { pushType } from './type-push';
import { TYPES_MANAGE } from './types';
import { typeMissing, typeView, visibleType } from './types-view';
import { extraSpecsCreate, extraSpecUpdate, TYPE_ACCESS_ACTIONS, typeAccessAction } from './schemas';
import { checkBody } from './validation';

const TYPE_ACCESS = 'volume_extension:volume_type_access' satisfies VolumeRule;

async function managedType(deps: VolumeDeps, c: Context<GatewayEnv>, rule: VolumeRule) {
  authorize(deps.policy, c.get('auth'), rule);
  const id = c.req.param('id')!;
  const t = await deps.store.volumeTypes.get(id);
  if (!t) throw notFound(typeMissing(id));
  return t;
}

/** The specs the caller may see (all for admins, the user-visible ones otherwise). */
async function visibleSpecs(deps: VolumeDeps, c: Context<GatewayEnv>) {
  const auth = c.get('auth');
  const t = await visibleType(deps, c.req.param('id')!, auth);
  return { t, specs: typeView(t, await deps.store.volumeTypeSpecs.get(t.id), auth).extra_specs as Record<string, string> };
}

export async function listSpecs(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  return c.json({ extra_specs: (await visibleSpecs(deps, c)).specs });
}

export async function showSpec(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { t, specs } = await visibleSpecs(deps, c);
  const key = c.req.param('key')!;
  if (!Object.hasOwn(specs, key)) throw notFound(`Volume Type ${t.id} has no extra specs with key ${key}.`);
  return c.json({ [key]: specs[key] });
}

export async function setSpecs(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const t = await managedType(deps, c, TYPES_MANAGE);
  const { extra_specs: specs } = checkBody(extraSpecsCreate, await readJson(c));
  await storeWrite(() => deps.store.volumeTypeSpecs.set(t.id, specs));
  await pushType(deps, t.id);
  return c.json({ extra_specs: specs });
}

export async function putSpec(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const t = await managedType(deps, c, TYPES_MANAGE);
  const key = c.req.param('key')!;
  const specs = checkBody(extraSpecUpdate(key), await readJson(c));
  await storeWrite(() => deps.store.volumeTypeSpecs.set(t.id, specs));
  await pushType(deps, t.id);
  return c.json(specs);
}

export async function deleteSpec(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const t = await managedType(deps, c, TYPES_MANAGE);
  const key = c.req.param('key')!;
  if (!(await storeWrite(() => deps.store.volumeTypeSpecs.delete(t.id, key)))) throw notFound(`Volume Type ${t.id} has no extra specs with key ${key}.`);
  await pushType(deps, t.id);
  return c.body(null, 202);
}

export async function listAccess(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const t = await managedType(deps, c, TYPE_ACCESS);
  if (t.is_public) throw notFound('Access list not available for public volume types.');
  const projects = await deps.store.volumeTypeAccess.projects(t.id);
  return c.json({ volume_type_access: projects.map((p) => ({ volume_type_id: t.id, project_id: p })) });
}

/** `POST /types/{id}/action` with `addProjectAccess` or `removeProjectAccess`. */
export async function typeAction(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const action = typeof body === 'object' && body !== null ? TYPE_ACCESS_ACTIONS.find((a) => Object.hasOwn(body, a)) : undefined;
  if (!action) throw badRequest('There is no such action in the request body; use addProjectAccess or removeProjectAccess.');
  const t = await managedType(deps, c, `${TYPE_ACCESS}:${action}`);
  const { project } = checkBody(typeAccessAction(action), body)[action];
  if (t.is_public) throw badRequest('Invalid volume type: Type access modification is not applicable to public volume type.');
  if (action === 'addProjectAccess') {
    await storeWrite(() => deps.store.volumeTypeAccess.add(t.id, project), `Volume type access for ${t.id} / ${project} combination already exists.`);
  } else if (!(await storeWrite(() => deps.store.volumeTypeAccess.remove(t.id, project)))) {
    throw notFound(`Volume type access not found for ${t.id} / ${project} combination.`);
  }
  await pushType(deps, t.id);
  return c.body(null, 202);
}
