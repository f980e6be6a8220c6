/**
 * Volume types must exist in every pod: a create is forwarded with `volume_type` by name, so the
 * pods need a matching type. Each change at the gateway records one `volume_type_push` job per
 * enabled bottom pod carrying the type's whole current state (or its deletion), so a job is
 * idempotent and the latest one wins; the jobs runner applies them to the pods.
 */
import type { VolumeDeps } from './deps';
import { storeWrite } from '../common';

export const VOLUME_TYPE_PUSH = 'volume_type_push';

export interface VolumeTypePushPayload {
  pod_id: string;
  op: 'upsert' | 'delete';
  /** The type's name in the pods (how pods find it: their ids differ from ours). */
  name: string;
  /** Whole state for 'upsert'. */
  volume_type?: {
    name: string;
    description: string | null;
    is_public: boolean;
    extra_specs: Record<string, string>;
    projects: string[];
  };
  /** Former name when a rename is pushed. */
  previous_name?: string;
}

/** Records the push of type `typeId` to every enabled bottom pod. */
export async function pushType(deps: VolumeDeps, typeId: string, op: 'upsert' | 'delete', name: string, previousName?: string): Promise<void> {
  let state: VolumeTypePushPayload['volume_type'];
  if (op === 'upsert') {
    const t = await deps.store.volumeTypes.get(typeId);
    if (!t) return;
    state = {
      name: t.name,
      description: t.description,
      is_public: t.is_public,
      extra_specs: await deps.store.volumeTypeSpecs.get(typeId),
      projects: await deps.store.volumeTypeAccess.projects(typeId),
    };
  }
  for (const pod of await deps.podDir.bottoms()) {
    const payload: VolumeTypePushPayload = { pod_id: pod.pod_id, op, name, volume_type: state };
    if (previousName !== undefined && previousName !== name) payload.previous_name = previousName;
    await storeWrite(() => deps.store.jobs.enqueue(VOLUME_TYPE_PUSH, typeId, payload));
  }
}
