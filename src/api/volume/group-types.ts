/**
 * Group types and group specs (3.11, https://docs.openstack.org/api-ref/block-storage/v3/#group-types-group-types):
 * a catalog owned by the gateway like volume types — listed and shown to everyone (public ones;
 * group specs to admins), changed by admins (cinder/policies/group_types.py) — and pushed to every
 * pod by `catalog_item_push` with the pod's own id kept, so a group create naming a gateway group
 * type is sent with the pod's id for it.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import type { GroupTypeBody } from '../../jobs';
import { badRequest, boolFromString, isSupported, notFound, readJson, type GatewayEnv } from '../../http';
import type { CatalogItem, Pod } from '../../store';
import { CINDER_QUERY, isNoneString, queryBool, queryOf, storeWrite, usableInPod } from '../common';
import { compareBy, normalize, type SortKey } from '../../fanout';
import { cinderSortKeys } from './list-sort';
import type { VolumeDeps } from './deps';
import { pushCatalogItem } from './type-push';
import { NOT_SERVED } from './merged-list';
import type { VolumeRule } from './policy-rules';

const missing = (id: string) => `Group type ${id} could not be found.`;

function gate(c: Context<GatewayEnv>): void {
  if (!isSupported(c.get('apiVersion'), '3.11')) throw notFound(NOT_SERVED);
}

function can(deps: VolumeDeps, c: Context<GatewayEnv>, rule: VolumeRule): void {
  gate(c);
  authorize(deps.policy, c.get('auth'), rule);
}

function view(c: Context<GatewayEnv>, t: CatalogItem<GroupTypeBody>) {
  const out: Record<string, unknown> = { id: t.id, name: t.name, description: t.body.description, is_public: t.body.is_public };
  if (c.get('auth').isAdmin) out.group_specs = { ...t.body.group_specs };
  return out;
}

/** A gateway group type by id or name, as the caller may see it. */
async function find(deps: VolumeDeps, c: Context<GatewayEnv>, ref: string): Promise<CatalogItem<GroupTypeBody>> {
  const t = (await deps.store.catalogItems.get<GroupTypeBody>('group_type', ref)) ?? (await deps.store.catalogItems.getByName<GroupTypeBody>('group_type', ref));
  if (!t || (!t.body.is_public && !c.get('auth').isAdmin)) throw notFound(missing(ref));
  return t;
}

const push = (deps: VolumeDeps, id: string) => pushCatalogItem(deps, 'group_type', id);

function specsOf(x: unknown): Record<string, string> {
  if (x === undefined) return {};
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw badRequest(`Invalid input for field/attribute group_specs. Value: ${JSON.stringify(x)}. ${JSON.stringify(x)} is not of type 'object'`);
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, String(v)]));
}

function member(body: unknown, key: string): Record<string, unknown> {
  const m = (body as Record<string, unknown> | null)?.[key];
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest(`Invalid input for field/attribute ${key}. Value: None. '${key}' is a required property`);
  return m as Record<string, unknown>;
}

/** The columns a group type list sorts by (Cinder's group_types table); others are Cinder's 400. */
const SORT_COLUMNS = new Set(['id', 'name', 'description', 'is_public', 'created_at', 'updated_at']);

/**
 * Cinder's group type list (cinder/api/v3/group_types.py `_get_group_types`): public types only,
 * unless an admin asks `is_public` (`None` for every type, else that visibility); sorted by
 * `sort` (or `sort_key`/`sort_dir`), `created_at` desc by default, ties by id.
 */
export async function listGroupTypes(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(c);
  const auth = c.get('auth');
  const asked = c.req.query('is_public');
  let isPublic: boolean | undefined = true;
  if (auth.isAdmin && asked !== undefined) isPublic = isNoneString(asked) ? undefined : queryBool(asked, 'is_public', CINDER_QUERY);
  const keys = cinderSortKeys(queryOf(c));
  for (const k of keys) if (!SORT_COLUMNS.has(k.key)) throw badRequest(`Invalid input received: Invalid sort key ${k.key}`);
  const plan: SortKey[] = [...(keys.length ? keys : [{ key: 'created_at', dir: 'desc' as const }]), { key: 'id', dir: 'desc' }];
  const row = (t: CatalogItem<GroupTypeBody>): Record<string, unknown> => ({ id: t.id, name: t.name, description: t.body.description, is_public: t.body.is_public, created_at: t.created_at, updated_at: t.updated_at });
  const values = (t: CatalogItem<GroupTypeBody>) => plan.map((k) => normalize(row(t)[k.key]));
  const all = (await deps.store.catalogItems.list<GroupTypeBody>('group_type')).filter((t) => isPublic === undefined || t.body.is_public === isPublic);
  all.sort((a, b) => compareBy(plan, values(a), values(b)));
  return c.json({ group_types: all.map((t) => view(c, t)) });
}

export async function showGroupType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(c);
  return c.json({ group_type: view(c, await find(deps, c, c.req.param('id')!)) });
}

export async function createGroupType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types:create');
  const g = member(await readJson(c), 'group_type');
  const name = typeof g.name === 'string' ? g.name.trim() : '';
  if (name === '') throw badRequest("Invalid input for field/attribute group_type. Value: None. 'name' is a required property");
  const isPublic = g.is_public === undefined ? true : boolFromString(String(g.is_public));
  if (isPublic === undefined) throw badRequest(`Invalid input for field/attribute is_public. Value: ${String(g.is_public)}. ${JSON.stringify(g.is_public)} is not of type 'boolean'`);
  const body: GroupTypeBody = { description: typeof g.description === 'string' ? g.description : null, is_public: isPublic, group_specs: specsOf(g.group_specs) };
  const t = await storeWrite(() => deps.store.catalogItems.create<GroupTypeBody>('group_type', { name, body }), `Group Type ${name} already exists.`);
  await push(deps, t.id);
  // 202 as Cinder answers a group type's creation (cinder/api/v3/group_types.py).
  return c.json({ group_type: view(c, t) }, 202);
}

export async function updateGroupType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types:update');
  const t = await find(deps, c, c.req.param('id')!);
  const g = member(await readJson(c), 'group_type');
  const name = typeof g.name === 'string' ? g.name.trim() : undefined;
  if (g.name !== undefined && g.name !== null && !name) throw badRequest('Group type name can not be empty.');
  if (name === undefined && (g.description === undefined || g.description === null) && (g.is_public === undefined || g.is_public === null)) {
    throw badRequest('Specify group type name, description or a combination thereof.');
  }
  // The pods follow by the id each one gave the type (the push renames it there too).
  if (name !== undefined && name !== t.name) await storeWrite(() => deps.store.catalogItems.rename('group_type', t.id, name), `Group Type ${name} already exists.`);
  const body: GroupTypeBody = { ...t.body };
  if (g.description !== undefined) body.description = typeof g.description === 'string' ? g.description : null;
  if (g.is_public !== undefined) body.is_public = boolFromString(String(g.is_public)) ?? body.is_public;
  const after = (await storeWrite(() => deps.store.catalogItems.update<GroupTypeBody>('group_type', t.id, body)))!;
  await push(deps, t.id);
  return c.json({ group_type: view(c, after) });
}

export async function deleteGroupType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types:delete');
  const t = await find(deps, c, c.req.param('id')!);
  await storeWrite(() => deps.store.catalogItems.delete('group_type', t.id));
  await push(deps, t.id);
  return c.body(null, 202);
}

export async function listGroupSpecs(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types_specs:get_all');
  return c.json({ group_specs: { ...(await find(deps, c, c.req.param('id')!)).body.group_specs } });
}

export async function showGroupSpec(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types_specs:get');
  const t = await find(deps, c, c.req.param('id')!);
  const key = c.req.param('key')!;
  if (!Object.hasOwn(t.body.group_specs, key)) throw notFound(`Group Type ${t.id} has no specs with key ${key}.`);
  return c.json({ [key]: t.body.group_specs[key] });
}

/** `POST …/group_specs` (set several) and `PUT …/group_specs/{key}` (set one). */
export async function setGroupSpecs(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const key = c.req.param('key');
  can(deps, c, key ? 'group:group_types_specs:update' : 'group:group_types_specs:create');
  const t = await find(deps, c, c.req.param('id')!);
  const sent = (await readJson(c)) as Record<string, unknown> | null;
  const specs = key ? specsOf(sent) : specsOf(member(sent, 'group_specs'));
  if (key && !Object.hasOwn(specs, key)) throw badRequest('Request body and URI mismatch');
  await storeWrite(() => deps.store.catalogItems.update<GroupTypeBody>('group_type', t.id, { ...t.body, group_specs: { ...t.body.group_specs, ...specs } }));
  await push(deps, t.id);
  // Cinder: 202 for POST …/group_specs, 200 for PUT …/group_specs/{key} (group_specs.py).
  return key ? c.json(specs) : c.json({ group_specs: specs }, 202);
}

export async function deleteGroupSpec(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  can(deps, c, 'group:group_types_specs:delete');
  const t = await find(deps, c, c.req.param('id')!);
  const key = c.req.param('key')!;
  if (!Object.hasOwn(t.body.group_specs, key)) throw notFound(`Group Type ${t.id} has no specs with key ${key}.`);
  const specs = { ...t.body.group_specs };
  delete specs[key];
  await storeWrite(() => deps.store.catalogItems.update<GroupTypeBody>('group_type', t.id, { ...t.body, group_specs: specs }));
  await push(deps, t.id);
  return c.body(null, 202);
}

/** The pod's id for a group type a request names; one the gateway does not know is the pod's to judge. */
export async function groupTypeForPod(deps: VolumeDeps, ref: string, pod: Pod): Promise<string> {
  const t = (await deps.store.catalogItems.get<GroupTypeBody>('group_type', ref)) ?? (await deps.store.catalogItems.getByName<GroupTypeBody>('group_type', ref));
  if (!t) return ref;
  const st = await usableInPod(deps.store, 'group_type', t.id, pod);
  return st?.pod_item_id ?? t.name!;
}
