/**
 * Per-project default volume types (3.62, https://docs.openstack.org/api-ref/block-storage/v3/#default-volume-types-default-types)
 * and `GET /types/default`. A project's default is kept at the gateway (one per project, whatever
 * pod its volumes land in) and pushed to every pod as the pod's own id of the gateway type
 * (`catalog_item_push`), so a create without a type gets the same type in every pod.
 * `/types/default` shows the project's default, else the gateway type named `__DEFAULT__`
 * (Cinder's `default_volume_type`); without either it is Cinder's not-found for that name.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import type { DefaultTypeBody } from '../../jobs';
import { badRequest, isSupported, notFound, readJson, type GatewayEnv } from '../../http';
import type { VolumeType } from '../../store';
import { storeWrite } from '../common';
import type { VolumeDeps } from './deps';
import { pushCatalogItem } from './type-push';
import { NOT_SERVED } from './merged-list';
import type { VolumeRule } from './policy-rules';
import { typeView } from './types-view';

/** Cinder's `default_volume_type` option's default. */
export const DEFAULT_TYPE_NAME = '__DEFAULT__';

function gate(deps: VolumeDeps, c: Context<GatewayEnv>, rule: VolumeRule): void {
  if (!isSupported(c.get('apiVersion'), '3.62')) throw notFound(NOT_SERVED);
  authorize(deps.policy, c.get('auth'), rule);
}

const view = (projectId: string, typeId: string) => ({ project_id: projectId, volume_type_id: typeId });

const push = (deps: VolumeDeps, projectId: string) => pushCatalogItem(deps, 'default_type', projectId);

/** A gateway type by id, else by name (Cinder's get_by_name_or_id). */
async function typeByRef(deps: VolumeDeps, ref: string): Promise<VolumeType> {
  const t = (await deps.store.volumeTypes.get(ref)) ?? (await deps.store.volumeTypes.getByName(ref));
  if (!t) throw notFound(`Volume type with name ${ref} could not be found.`);
  return t;
}

export async function setDefaultType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(deps, c, 'volume_extension:default_set_or_update');
  const project = c.req.param('project')!;
  const ref = ((await readJson(c)) as { default_type?: { volume_type?: unknown } } | null)?.default_type?.volume_type;
  if (typeof ref !== 'string' || ref === '') throw badRequest("Invalid input for field/attribute default_type. Value: None. 'volume_type' is a required property");
  const t = await typeByRef(deps, ref);
  await storeWrite(() => deps.store.catalogItems.put<DefaultTypeBody>('default_type', project, { volume_type_id: t.id }));
  await push(deps, project);
  return c.json({ default_type: view(project, t.id) });
}

export async function showDefaultType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(deps, c, 'volume_extension:default_get');
  const project = c.req.param('project')!;
  const d = await deps.store.catalogItems.get<DefaultTypeBody>('default_type', project);
  if (!d) throw notFound(`Default type for project ${project} not found.`);
  return c.json({ default_type: view(project, d.body.volume_type_id) });
}

export async function listDefaultTypes(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(deps, c, 'volume_extension:default_get_all');
  const all = await deps.store.catalogItems.list<DefaultTypeBody>('default_type');
  return c.json({ default_types: all.map((d) => view(d.id, d.body.volume_type_id)) });
}

export async function unsetDefaultType(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(deps, c, 'volume_extension:default_unset');
  const project = c.req.param('project')!;
  await storeWrite(() => deps.store.catalogItems.delete('default_type', project));
  await push(deps, project);
  return c.body(null, 204);
}

/** `GET /types/default`: the caller's project default, else the gateway's `__DEFAULT__` type. */
export async function showTypeDefault(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const auth = c.get('auth');
  const own = await deps.store.catalogItems.get<DefaultTypeBody>('default_type', c.get('projectId'));
  const t = (own ? await deps.store.volumeTypes.get(own.body.volume_type_id) : undefined) ?? (await deps.store.volumeTypes.getByName(DEFAULT_TYPE_NAME));
  if (!t) throw notFound(`Volume type with name ${DEFAULT_TYPE_NAME} could not be found.`);
  return c.json({ volume_type: typeView(t, await deps.store.volumeTypeSpecs.get(t.id), auth) });
}

