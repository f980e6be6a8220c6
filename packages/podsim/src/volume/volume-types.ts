// Volume types: list/show (public or granted), admin create/update/delete,
// extra_specs CRUD and os-volume-type-access for private types, after
// cinder/api/v3/types.py and cinder/api/contrib/{types_manage,
// types_extra_specs,volume_type_access}.py. Users see only the user-visible
// extra specs; qos_specs_id is admin-only and shown by list/show only: Tempest's schemas (run
// against real Cinder) forbid it in the create and update answers, and update also omits the
// type-access flag (that extension hooks create, list and show).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, member, optString, readBody, requireAdmin, strictBool } from './context';
import { CinderFault, badRequest, notFound } from './faults';
import type { CinderState } from './state';
import type { SimVolumeType } from './types';

const USER_VISIBLE_EXTRA_SPECS = ['RESKEY:availability_zones', 'multiattach', 'replication_enabled'];
const ACCESS_KEY = 'os-volume-type-access:is_public';

function typeView(c: Ctx, t: SimVolumeType, answer: 'show' | 'create' | 'update' = 'show'): Record<string, unknown> {
  const admin = identity(c).isAdmin;
  const specs = admin
    ? { ...t.extraSpecs }
    : Object.fromEntries(Object.entries(t.extraSpecs).filter(([k]) => USER_VISIBLE_EXTRA_SPECS.includes(k)));
  const out: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    is_public: t.isPublic,
    description: t.description,
    extra_specs: specs,
  };
  if (answer !== 'update') out[ACCESS_KEY] = t.isPublic;
  if (admin && answer === 'show') out.qos_specs_id = t.qosSpecsId;
  return out;
}

function specsField(body: Record<string, unknown>, key: string): Record<string, string> {
  const v = body[key];
  if (!isObject(v)) throw fieldError(key, body, `'${key}' is a required property`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
      throw fieldError(`${key}/${k}`, x, `${JSON.stringify(x)} is not of type 'string'`);
    }
    out[k] = String(x);
  }
  return out;
}

function inUse(st: CinderState, t: SimVolumeType): boolean {
  return [...st.volumes.values()].some((v) => v.volumeTypeId === t.id);
}

export function typeRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const manage = (c: Ctx) => requireAdmin(c, 'volume_extension:types_manage');
  const byId = (c: Ctx) => st.type(identity(c), c.req.param('id')!);

  r.get('/types', (c) => {
    const who = identity(c);
    const wantAll = who.isAdmin && (c.req.query('is_public') ?? '').toLowerCase() === 'none';
    const types = [...st.types.values()].filter((t) => wantAll || t.isPublic || t.access.has(who.projectId));
    return c.json({ volume_types: types.map((t) => typeView(c, t)) });
  });
  r.get('/types/default', (c) => c.json({ volume_type: typeView(c, st.defaultTypeFor(identity(c).projectId)) }));
  r.get('/types/:id', (c) => c.json({ volume_type: typeView(c, byId(c)) }));
  r.post('/types', async (c) => {
    manage(c);
    const vt = member(await readBody(c), 'volume_type');
    const name = optString(vt, 'name');
    if (!name || !name.trim()) throw fieldError('name', vt.name ?? null, "'name' is a required property");
    if ([...st.types.values()].some((t) => t.name === name)) throw new CinderFault(409, `Volume Type ${name} already exists.`);
    const t: SimVolumeType = {
      id: randomUUID(),
      name,
      description: optString(vt, 'description') ?? null,
      isPublic: vt[ACCESS_KEY] === undefined ? true : strictBool(ACCESS_KEY, vt[ACCESS_KEY]),
      extraSpecs: vt.extra_specs === undefined ? {} : specsField(vt, 'extra_specs'),
      access: new Set(),
      qosSpecsId: null,
    };
    st.types.set(t.id, t);
    return c.json({ volume_type: typeView(c, t, 'create') });
  });
  r.put('/types/:id', async (c) => {
    manage(c);
    const t = byId(c);
    const vt = member(await readBody(c), 'volume_type');
    const name = optString(vt, 'name');
    const description = optString(vt, 'description');
    const isPublic = vt.is_public === undefined || vt.is_public === null ? undefined : strictBool('is_public', vt.is_public);
    if (name !== undefined && name !== null && !name.trim()) throw badRequest('Volume type name can not be empty.');
    if (name == null && description === undefined && isPublic === undefined) {
      throw badRequest('Specify volume type name, description, is_public or a combination thereof.');
    }
    if (name && [...st.types.values()].some((x) => x.name === name && x.id !== t.id)) {
      throw new CinderFault(409, `Volume Type ${name} already exists.`);
    }
    if (name) t.name = name;
    if (description !== undefined) t.description = description;
    if (isPublic !== undefined) t.isPublic = isPublic;
    return c.json({ volume_type: typeView(c, t, 'update') });
  });
  r.delete('/types/:id', (c) => {
    manage(c);
    const t = byId(c);
    if (t.id === st.defaultTypeId) throw badRequest('Default volume type can not be deleted.');
    if (inUse(st, t)) throw badRequest('Target volume type is still in use.');
    st.types.delete(t.id);
    return c.body(null, 202);
  });

  // extra_specs
  r.get('/types/:id/extra_specs', (c) => c.json({ extra_specs: { ...byId(c).extraSpecs } }));
  r.post('/types/:id/extra_specs', async (c) => {
    manage(c);
    const t = byId(c);
    const specs = specsField(await readBody(c), 'extra_specs');
    if (inUse(st, t) && Object.keys(specs).some((k) => k !== 'multiattach')) {
      throw badRequest('Volume Type is currently in use.');
    }
    Object.assign(t.extraSpecs, specs);
    return c.json({ extra_specs: specs });
  });
  r.get('/types/:id/extra_specs/:key', (c) => {
    const t = byId(c);
    const key = c.req.param('key');
    if (!(key in t.extraSpecs)) throw notFound(`Volume Type ${t.id} has no extra specs with key ${key}.`);
    return c.json({ [key]: t.extraSpecs[key] });
  });
  r.put('/types/:id/extra_specs/:key', async (c) => {
    manage(c);
    const t = byId(c);
    const key = c.req.param('key');
    const body = await readBody(c);
    if (!(key in body)) throw badRequest('Request body and URI mismatch');
    if (Object.keys(body).length > 1) throw badRequest('Request body contains too many items');
    t.extraSpecs[key] = String(body[key]);
    return c.json({ [key]: t.extraSpecs[key] });
  });
  r.delete('/types/:id/extra_specs/:key', (c) => {
    manage(c);
    const t = byId(c);
    const key = c.req.param('key');
    if (!(key in t.extraSpecs)) throw notFound(`Volume Type ${t.id} has no extra specs with key ${key}.`);
    delete t.extraSpecs[key];
    return c.body(null, 202);
  });

  // os-volume-type-access
  r.get('/types/:id/os-volume-type-access', (c) => {
    requireAdmin(c, 'volume_extension:volume_type_access');
    const t = byId(c);
    if (t.isPublic) throw notFound('Access list not available for public volume types.');
    return c.json({ volume_type_access: [...t.access].map((p) => ({ volume_type_id: t.id, project_id: p })) });
  });
  r.post('/types/:id/action', async (c) => {
    requireAdmin(c, 'volume_extension:volume_type_access:addProjectAccess');
    const t = byId(c);
    const body = await readBody(c);
    const add = body.addProjectAccess;
    const remove = body.removeProjectAccess;
    const project = (isObject(add) ? add.project : isObject(remove) ? remove.project : undefined);
    if (typeof project !== 'string') {
      throw badRequest('There is no such action: unknown. Verify the request body and Content-Type header and try again.');
    }
    if (isObject(add)) {
      if (t.access.has(project)) {
        throw new CinderFault(409, `Volume type access for ${t.id} / ${project} combination already exists.`);
      }
      t.access.add(project);
    } else {
      if (!t.access.delete(project)) throw notFound(`Volume type access not found for ${t.id} / ${project} combination.`);
    }
    return c.body(null, 202);
  });
  return r;
}
