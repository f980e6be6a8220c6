/**
 * Volume type encryption (`/types/{id}/encryption`, admin; cinder/api/contrib/volume_type_encryption.py):
 * part of the gateway's volume type catalog, kept at the gateway and made the pods' by the
 * type's `volume_type_push`. Create and update answer the request body, as Cinder does (create's
 * filled in with the type id and the new encryption id, as Cinder's database layer does). A pod
 * refuses a change while volumes use the type there; its push job then fails saying so.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { authorize } from '../../auth';
import { badRequest, notFound, readJson, type GatewayEnv } from '../../http';
import { isoNow } from '../../store';
import { storeWrite } from '../common';
import type { VolumeDeps } from './deps';
import { pushType } from './type-push';
import { typeMissing } from './types-view';

interface Encryption {
  encryption_id: string;
  provider: string;
  cipher: string | null;
  key_size: number | null;
  control_location: string;
  created_at: string;
  updated_at: string | null;
}

const LOCATIONS = ['front-end', 'back-end'];
const absent = (typeId: string) => `Volume type encryption for type ${typeId} does not exist.`;

async function typeOf(deps: VolumeDeps, c: Context<GatewayEnv>, what: 'get' | 'create' | 'update' | 'delete'): Promise<string> {
  authorize(deps.policy, c.get('auth'), `volume_extension:volume_type_encryption:${what}`);
  const id = c.req.param('id')!;
  if (!(await deps.store.volumeTypes.get(id))) throw notFound(typeMissing(id));
  return id;
}

/** The `encryption` object of a body, its fields checked as Cinder's schema does. */
function fieldsOf(body: unknown, creating: boolean): { body: Record<string, unknown>; patch: Partial<Encryption> } {
  const e = (body as { encryption?: unknown } | null)?.encryption;
  if (!e || typeof e !== 'object' || Array.isArray(e)) throw badRequest("Invalid input for field/attribute encryption. Value: None. 'encryption' is a required property");
  const x = e as Record<string, unknown>;
  const patch: Partial<Encryption> = {};
  if (x.provider !== undefined) {
    if (typeof x.provider !== 'string' || x.provider === '') throw badRequest(`Invalid input for field/attribute provider. Value: ${String(x.provider)}. ${JSON.stringify(x.provider)} is too short`);
    patch.provider = x.provider;
  } else if (creating) throw badRequest("Invalid input for field/attribute encryption. Value: None. 'provider' is a required property");
  if (x.cipher !== undefined) patch.cipher = x.cipher === null ? null : String(x.cipher);
  if (x.key_size !== undefined) {
    if (x.key_size !== null && !(typeof x.key_size === 'number' && Number.isInteger(x.key_size) && x.key_size >= 0)) throw badRequest(`Invalid input for field/attribute key_size. Value: ${String(x.key_size)}. ${JSON.stringify(x.key_size)} is not of type 'integer'`);
    patch.key_size = x.key_size as number | null;
  }
  if (x.control_location !== undefined) {
    if (!LOCATIONS.includes(String(x.control_location))) throw badRequest(`Invalid input for field/attribute control_location. Value: ${String(x.control_location)}. ${JSON.stringify(x.control_location)} is not one of ${JSON.stringify(LOCATIONS)}`);
    patch.control_location = String(x.control_location);
  }
  return { body: body as Record<string, unknown>, patch };
}

export async function showEncryption(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeId = await typeOf(deps, c, 'get');
  const e = (await deps.store.catalogItems.get<Encryption>('type_encryption', typeId))?.body;
  return c.json(e ? { ...e, volume_type_id: typeId, deleted: false, deleted_at: null } : {});
}

export async function showEncryptionKey(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeId = await typeOf(deps, c, 'get');
  const e = (await deps.store.catalogItems.get<Encryption>('type_encryption', typeId))?.body as Record<string, unknown> | undefined;
  const key = c.req.param('key')!;
  if (!e || !Object.hasOwn(e, key)) throw notFound(absent(typeId));
  return c.json({ [key]: e[key] });
}

export async function createEncryption(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeId = await typeOf(deps, c, 'create');
  const { body, patch } = fieldsOf(await readJson(c), true);
  if (await deps.store.catalogItems.get('type_encryption', typeId)) throw badRequest(`Volume type encryption for type ${typeId} already exists.`);
  const e: Encryption = { encryption_id: randomUUID(), cipher: null, key_size: null, control_location: 'front-end', provider: '', ...patch, created_at: isoNow(), updated_at: null };
  await storeWrite(() => deps.store.catalogItems.put<Encryption>('type_encryption', typeId, e));
  await pushType(deps, typeId);
  const sent = body.encryption as Record<string, unknown>;
  return c.json({ ...body, encryption: { ...sent, ...(sent.key_size != null ? { key_size: e.key_size } : {}), volume_type_id: typeId, encryption_id: e.encryption_id } });
}

export async function updateEncryption(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeId = await typeOf(deps, c, 'update');
  const { body, patch } = fieldsOf(await readJson(c), false);
  // Cinder updates and deletes the type's encryption whatever id the path names (Tempest sends
  // `…/encryption/provider`): only a type without one is 404 (volume_type_encryption.py).
  const e = (await deps.store.catalogItems.get<Encryption>('type_encryption', typeId))?.body;
  if (!e) throw notFound(absent(typeId));
  await storeWrite(() => deps.store.catalogItems.put<Encryption>('type_encryption', typeId, { ...e, ...patch, updated_at: isoNow() }));
  await pushType(deps, typeId);
  return c.json(body);
}

export async function deleteEncryption(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeId = await typeOf(deps, c, 'delete');
  const e = (await deps.store.catalogItems.get<Encryption>('type_encryption', typeId))?.body;
  if (!e) throw notFound(absent(typeId));
  await storeWrite(() => deps.store.catalogItems.delete('type_encryption', typeId));
  await pushType(deps, typeId);
  return c.body(null, 202);
}
