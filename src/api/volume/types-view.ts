/**
 * Volume type views (cinder/api/views/types.py) and the rules of who sees which type and which
 * extra specs: admins see every spec, others only the user-visible ones
 * (cinder/policies/type_extra_specs.py USER_VISIBLE_EXTRA_SPECS); private types are seen by
 * admins and by the projects given access (the original computed this and dropped it).
 */
import type { RequestContext } from '../../auth';
import type { VolumeType } from '../../store';
import { notFound } from '../../http';
import type { VolumeDeps } from './deps';

export const USER_VISIBLE_EXTRA_SPECS = ['RESKEY:availability_zones', 'multiattach', 'replication_enabled'];

export function typeView(t: VolumeType, specs: Record<string, string>, auth: RequestContext): Record<string, unknown> {
  const shown = auth.isAdmin ? specs : Object.fromEntries(Object.entries(specs).filter(([k]) => USER_VISIBLE_EXTRA_SPECS.includes(k)));
  const view: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public,
    extra_specs: shown,
    'os-volume-type-access:is_public': t.is_public,
  };
  if (auth.isAdmin) view.qos_specs_id = t.qos_specs_id;
  return view;
}

export const typeMissing = (id: string) => `Volume type ${id} could not be found.`;

/** The type the caller may see, else Cinder's 404. */
export async function visibleType(deps: VolumeDeps, id: string, auth: RequestContext): Promise<VolumeType> {
  const t = await deps.store.volumeTypes.get(id);
  if (!t) throw notFound(typeMissing(id));
  if (t.is_public || auth.isAdmin) return t;
  if (auth.projectId && (await deps.store.volumeTypeAccess.has(t.id, auth.projectId))) return t;
  throw notFound(typeMissing(id));
}
