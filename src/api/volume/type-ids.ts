/**
 * Volume type ids between the gateway and its pods. Cinder assigns its own id to a type in each
 * pod (the `volume_type_push` job keeps it): a create or `os-retype` naming a gateway type (by id
 * or name) is sent with the pod's id, and `volume_type_id` in answers (Cinder 3.63+) shows the
 * gateway's. The type name is the same everywhere.
 */
import type { Pod, Store } from '../../store';
import { usableInPod } from '../common';
import type { VolumeDeps } from './deps';

/** How often the pod → gateway id map is read again. */
const TYPE_ID_TTL_MS = 5_000;

/**
 * The pod's id for the type a request names; a type the gateway does not know is left for the pod.
 * @throws ApiError 409 while the type's sync to the pod is pending
 */
export async function typeForPod(deps: VolumeDeps, ref: string, pod: Pod): Promise<string> {
  const t = (await deps.store.volumeTypes.get(ref)) ?? (await deps.store.volumeTypes.getByName(ref));
  if (!t) return ref;
  const st = await usableInPod(deps.store, 'volume_type', t.id, pod);
  return st?.pod_item_id ?? t.name;
}

const maps = new WeakMap<Store, { at: number; map: Promise<Map<string, string>> }>();

/** Pod type id → gateway type id (cached a few seconds). */
export function typeIdMap(store: Store): Promise<Map<string, string>> {
  const hit = maps.get(store);
  if (hit && Date.now() - hit.at < TYPE_ID_TTL_MS) return hit.map;
  const map = store.catalogState.podIdMap('volume_type').catch(() => new Map<string, string>());
  maps.set(store, { at: Date.now(), map });
  return map;
}

/** Writes the gateway's type id over a pod's in one volume. */
export function typeIdToTop(volume: unknown, map: Map<string, string>): void {
  if (!volume || typeof volume !== 'object') return;
  const v = volume as { volume_type_id?: unknown };
  if (typeof v.volume_type_id === 'string') v.volume_type_id = map.get(v.volume_type_id) ?? v.volume_type_id;
}

/** A JSON transform for answers holding `volume` or `volumes`. */
export function typeIdsToTop(map: Map<string, string>): (json: unknown) => unknown {
  return (json) => {
    if (!json || typeof json !== 'object') return json;
    const body = json as { volume?: unknown; volumes?: unknown };
    typeIdToTop(body.volume, map);
    if (Array.isArray(body.volumes)) for (const v of body.volumes) typeIdToTop(v, map);
    return json;
  };
}
