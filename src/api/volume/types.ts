/**
 * The volume type catalog, owned by the gateway (reference §6.5 with §15 fixes): list and show
 * for everyone (private types only for admins and the projects given access), create, update
 * and delete for admins, with 404/409 where the original answered 500. Every change is pushed to
 * the pods by jobs (type-push.ts).
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import type { VolumeTypePatch } from '../../store';
import { badRequest, notFound, type GatewayEnv } from '../../http';
import { isObject, readMember } from './bodies';
import type { VolumeDeps } from './deps';
import { CINDER_QUERY, isNoneString, queryBool, storeWrite } from '../common';
import { pushType } from './type-push';
import { typeMissing, typeView, visibleType } from './types-view';

export const TYPES_MANAGE = 'volume_extension:types_manage';
const MAX_LENGTH = 255;
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's bool_from_string(strict=True), Cinder's reading of is_public. */
export function parseBool(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  throw badRequest(`Invalid value '${String(v)}' for ${what}. Accepted values: True or False.`);
}

function checkName(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw badRequest('Volume type name can not be empty.');
  if (v.length > MAX_LENGTH) throw badRequest(`Type name has more than ${MAX_LENGTH} characters.`);
  return v.trim();
}

function checkDescription(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw badRequest('Volume type description must be a string.');
  if (v.length > MAX_LENGTH) throw badRequest(`Volume type description has more than ${MAX_LENGTH} characters.`);
  return v;
}

/** `{key: value}` extra specs; values may come as numbers or booleans and are kept as strings. */
export function checkSpecs(v: unknown, field = 'extra_specs'): Record<string, string> {
  if (!isObject(v)) throw badRequest(`Invalid input for field/attribute ${field}: it must be an object.`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === '' || k.length > MAX_LENGTH) throw badRequest(`Invalid input for field/attribute ${field}: keys must be 1 to ${MAX_LENGTH} characters.`);
    if (!['string', 'number', 'boolean'].includes(typeof val)) throw badRequest(`Invalid input for field/attribute ${field}: the value of ${k} must be a string.`);
    out[k] = String(val);
    if (out[k].length > MAX_LENGTH) throw badRequest(`Invalid input for field/attribute ${field}: the value of ${k} is longer than ${MAX_LENGTH} characters.`);
  }
  return out;
}

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
  const { member } = await readMember(c, 'volume_type');
  const name = checkName(member.name);
  const description = member.description === undefined ? null : checkDescription(member.description);
  const accessKey = 'os-volume-type-access:is_public';
  const isPublic = member[accessKey] === undefined ? true : parseBool(member[accessKey], 'is_public');
  const specs = member.extra_specs === undefined ? {} : checkSpecs(member.extra_specs);
  const created = await storeWrite(() => deps.store.volumeTypes.create({ name, description, is_public: isPublic }), `Volume Type ${name} already exists.`);
  await storeWrite(() => deps.store.volumeTypeSpecs.set(created.id, specs));
  await pushType(deps, created.id, 'upsert', name);
  return show(deps, c, created.id, 'create');
}

export async function updateType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), TYPES_MANAGE);
  const id = c.req.param('id')!;
  const { member } = await readMember(c, 'volume_type');
  const patch: VolumeTypePatch = {};
  if (member.name !== undefined && member.name !== null) patch.name = checkName(member.name);
  if (member.description !== undefined) patch.description = checkDescription(member.description);
  const accessKey = 'os-volume-type-access:is_public';
  if (member[accessKey] !== undefined && member[accessKey] !== null) patch.is_public = parseBool(member[accessKey], 'is_public');
  else if (member.is_public !== undefined && member.is_public !== null) patch.is_public = parseBool(member.is_public, 'is_public');
  if (Object.keys(patch).length === 0) throw badRequest('Specify volume type name, description, is_public or a combination thereof.');
  const before = await deps.store.volumeTypes.get(id);
  if (!before) throw notFound(typeMissing(id));
  const after = await storeWrite(() => deps.store.volumeTypes.update(id, patch), `Volume Type ${patch.name} already exists.`);
  if (!after) throw notFound(typeMissing(id));
  await pushType(deps, id, 'upsert', after.name, before.name);
  return show(deps, c, id, 'update');
}

export async function deleteType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), TYPES_MANAGE);
  const id = c.req.param('id')!;
  const t = await deps.store.volumeTypes.get(id);
  if (!t) throw notFound(typeMissing(id));
  await storeWrite(() => deps.store.volumeTypes.delete(id));
  await pushType(deps, id, 'delete', t.name);
  return c.body(null, 202);
}

