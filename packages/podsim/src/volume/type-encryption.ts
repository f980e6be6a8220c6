// Volume type encryption (admin), after cinder/api/contrib/volume_type_encryption.py: one
// encryption spec per type; GET answers {} for a type without one; create, update and delete are
// refused (400) while volumes use the type; create and update answer the request body.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, member, readBody, requireAdmin } from './context';
import { badRequest, notFound } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';

export interface SimEncryption {
  encryption_id: string;
  volume_type_id: string;
  provider: string;
  cipher: string | null;
  key_size: number | null;
  control_location: string;
  created_at: string;
  updated_at: string | null;
}

const LOCATIONS = ['front-end', 'back-end'];

function fields(body: Record<string, unknown>, creating: boolean): Partial<SimEncryption> {
  const out: Partial<SimEncryption> = {};
  if (body.provider !== undefined) {
    if (typeof body.provider !== 'string' || body.provider === '') throw fieldError('provider', body.provider, `${JSON.stringify(body.provider)} is too short`);
    out.provider = body.provider;
  } else if (creating) throw fieldError('encryption', body, "'provider' is a required property");
  if (body.cipher !== undefined) out.cipher = body.cipher === null ? null : String(body.cipher);
  if (body.key_size !== undefined) {
    if (body.key_size !== null && (typeof body.key_size !== 'number' || !Number.isInteger(body.key_size) || body.key_size < 0)) throw fieldError('key_size', body.key_size, `${JSON.stringify(body.key_size)} is not of type 'integer'`);
    out.key_size = body.key_size as number | null;
  }
  if (body.control_location !== undefined) {
    if (!LOCATIONS.includes(String(body.control_location))) throw fieldError('control_location', body.control_location, `${JSON.stringify(body.control_location)} is not one of ${JSON.stringify(LOCATIONS)}`);
    out.control_location = String(body.control_location);
  } else if (creating) out.control_location = 'front-end';
  return out;
}

export function encryptionRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const admin = (c: Ctx, what: string) => requireAdmin(c, `volume_extension:volume_type_encryption:${what}`);
  const typeOf = (c: Ctx) => st.type(identity(c), c.req.param('id')!);
  const inUse = (typeId: string) => [...st.volumes.values()].some((v) => v.volumeTypeId === typeId);

  r.get('/types/:id/encryption', (c) => {
    admin(c, 'get');
    const e = st.encryption.get(typeOf(c).id);
    return c.json(e ? { ...e, deleted: false, deleted_at: null } : {});
  });
  r.get('/types/:id/encryption/:key', (c) => {
    admin(c, 'get');
    const e = st.encryption.get(typeOf(c).id);
    const key = c.req.param('key');
    if (!e || !Object.hasOwn(e, key)) throw notFound('The resource could not be found.');
    return c.json({ [key]: (e as unknown as Record<string, unknown>)[key] });
  });
  r.post('/types/:id/encryption', async (c) => {
    admin(c, 'create');
    const t = typeOf(c);
    const sent = await readBody(c);
    const body = member(sent, 'encryption');
    if (st.encryption.has(t.id)) throw badRequest(`Volume type encryption for type ${t.id} already exists.`);
    if (inUse(t.id)) throw badRequest('Cannot create encryption specs. Volume type in use.');
    const e: SimEncryption = { encryption_id: randomUUID(), volume_type_id: t.id, cipher: null, key_size: null, provider: '', control_location: 'front-end', ...fields(body, true), created_at: cinderTime(), updated_at: null };
    st.encryption.set(t.id, e);
    // The controller answers the request body, which the database layer filled in with the
    // type id and the new encryption id (cinder/db/api.py volume_type_encryption_create).
    return c.json({ ...sent, encryption: { ...body, ...(body.key_size != null ? { key_size: e.key_size } : {}), volume_type_id: t.id, encryption_id: e.encryption_id } });
  });
  // Cinder's update and delete act on the type's encryption whatever id the path names
  // (volume_type_encryption.py ignores it): only a type without one is 404.
  r.put('/types/:id/encryption/:eid', async (c) => {
    admin(c, 'update');
    const t = typeOf(c);
    const e = st.encryption.get(t.id);
    if (!e) throw notFound(`Volume type encryption for type ${t.id} does not exist.`);
    const sent = await readBody(c);
    const body = member(sent, 'encryption');
    if (inUse(t.id)) throw badRequest('Cannot update encryption specs. Volume type in use.');
    Object.assign(e, fields(body, false), { updated_at: cinderTime() });
    return c.json(sent);
  });
  r.delete('/types/:id/encryption/:eid', (c) => {
    admin(c, 'delete');
    const t = typeOf(c);
    const e = st.encryption.get(t.id);
    if (!e) throw notFound(`Volume type encryption for type ${t.id} does not exist.`);
    if (inUse(t.id)) throw badRequest('Cannot delete encryption specs. Volume type in use.');
    st.encryption.delete(t.id);
    return c.body(null, 202);
  });
  return r;
}
