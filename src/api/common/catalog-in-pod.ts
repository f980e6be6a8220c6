/**
 * Whether an item of the gateway's catalogs (a flavor, a volume type) can be used in the pod a
 * create goes to. Its sync job records where it stands (src/jobs/flavor-sync.ts,
 * volume-type-sync.ts): synced, it can; pending (the pod does not have it yet), the create is a
 * 409 naming the pending sync — answered at once rather than held for a job that may wait on a
 * pod for minutes, and retryable; in conflict (the pod defines the same id differently), a 409
 * naming both definitions. No state at all (a pod registered before catalog sync, not yet synced)
 * leaves the pod to judge, as before.
 */
import { conflict } from '../../http';
import { catalogItemPushKey, flavorPushKey, volumeTypePushKey } from '../../jobs';
import type { CatalogKind, CatalogState, Pod, Store } from '../../store';

const KEYS: Record<CatalogKind, (id: string, podId: string) => string> = {
  flavor: flavorPushKey,
  volume_type: volumeTypePushKey,
  qos_spec: catalogItemPushKey('qos_spec'),
  default_type: catalogItemPushKey('default_type'),
  group_type: catalogItemPushKey('group_type'),
};
const NOUNS: Record<CatalogKind, string> = { flavor: 'Flavor', volume_type: 'Volume type', qos_spec: 'QoS spec', default_type: 'Default volume type of project', group_type: 'Group type' };

/**
 * @returns the state (its `pod_item_id` is the pod's own id) or undefined when none is recorded
 * @throws ApiError 409 while the item is pending or in conflict in the pod
 */
export async function usableInPod(store: Store, kind: CatalogKind, id: string, pod: Pod): Promise<CatalogState | undefined> {
  const st = await store.catalogState.get(kind, id, pod.pod_id);
  if (!st || st.status === 'synced') return st;
  const job = await store.jobs.openByKey(KEYS[kind](id, pod.pod_id));
  if (st.status === 'conflict') {
    throw conflict(`${NOUNS[kind]} ${id} cannot be used in availability zone ${pod.az_name}: ${st.detail ?? 'the pod defines it differently'}.`);
  }
  throw conflict(`${NOUNS[kind]} ${id} is not yet available in availability zone ${pod.az_name}: its sync to the pod is pending${job ? ` (job ${job.id})` : ''}; retry shortly.`);
}
