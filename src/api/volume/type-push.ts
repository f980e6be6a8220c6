/**
 * Volume types (and the smaller catalogs: QoS specs, group types, default types) must exist in every pod: a create names a type, and the pod needs a type of its
 * own for it (Cinder assigns its own id in each pod). Each change at the gateway records one
 * `volume_type_push` job per enabled bottom pod; the job reads the type when it runs, makes the
 * pod match and keeps the pod's id for translation (src/jobs/volume-type-sync.ts).
 */
import { enqueueCatalogItemPush, enqueueVolumeTypePush, type SyncedItemKind } from '../../jobs';
import type { VolumeDeps } from './deps';
import { storeWrite } from '../common';

/** Records the push of type `typeId` (its current state, or its removal) to every enabled bottom pod. */
export async function pushType(deps: VolumeDeps, typeId: string): Promise<void> {
  const pods = await deps.podDir.bottoms();
  await storeWrite(async () => {
    for (const pod of pods) await enqueueVolumeTypePush(deps, typeId, pod.pod_id);
  });
}

/** Records the push of a QoS spec, group type or project default type to every enabled bottom pod. */
export async function pushCatalogItem(deps: VolumeDeps, kind: SyncedItemKind, id: string): Promise<void> {
  const pods = await deps.podDir.bottoms();
  await storeWrite(async () => {
    for (const pod of pods) await enqueueCatalogItemPush(deps, kind, id, pod.pod_id);
  });
}
