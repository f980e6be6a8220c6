/**
 * Whether an item of the gateway's catalogs (a flavor, a volume type) can be used in the pod a
 * create goes to. Its sync job records where it stands (src/jobs/flavor-sync.ts,
 * volume-type-sync.ts): synced, it can; pending (the pod does not have it yet), the create is a
 * 409 naming the pending sync, and retryable; in conflict (the pod defines the same id
 * differently), a 409 naming both definitions. No state at all (a pod registered before catalog
 * sync, not yet synced) leaves the pod to judge, as before.
 *
 * On Nova a flavor is usable the moment its create answered (and a volume type the moment a
 * project was given access to it), and clients (Tempest among them) use it at once: while a push
 * to the pod is under way and its first attempt has not failed, the create waits for it
 * (SYNC_WAIT_MS). The push is one call to the pod's API, as slow as that pod is: a loaded real
 * Cinder took 5.2 s to create a group type, so the wait is as long as a client's own request to
 * a slow pod would be. A push that already failed (the pod is down, backing off) is not waited
 * for: the 409 comes at once rather than being held for a job that may wait minutes.
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

/** How long a create waits for a catalog push whose first attempt is still under way. */
export const SYNC_WAIT_MS = 30_000;
const SYNC_POLL_MS = 50;

/**
 * @returns the state (its `pod_item_id` is the pod's own id) or undefined when none is recorded
 * @throws ApiError 409 while the item is pending or in conflict in the pod
 */
export async function usableInPod(store: Store, kind: CatalogKind, id: string, pod: Pod, waitMs = SYNC_WAIT_MS): Promise<CatalogState | undefined> {
  const until = Date.now() + waitMs;
  let st = await store.catalogState.get(kind, id, pod.pod_id);
  // A push on its way: the item itself (pending), or a change to it, e.g. a private volume
  // type's new project access, which the pod must know before it accepts the create.
  let job = st && st.status !== 'conflict' ? await store.jobs.openByKey(KEYS[kind](id, pod.pod_id)) : undefined;
  while (job && job.last_error === null && Date.now() < until) {
    await new Promise((r) => setTimeout(r, SYNC_POLL_MS));
    st = await store.catalogState.get(kind, id, pod.pod_id);
    job = await store.jobs.openByKey(KEYS[kind](id, pod.pod_id));
  }
  // The job may have finished between the two reads: its state is the word.
  if (st?.status === 'pending' && !job) st = await store.catalogState.get(kind, id, pod.pod_id);
  if (!st || st.status === 'synced') return st;
  if (st.status === 'conflict') {
    throw conflict(`${NOUNS[kind]} ${id} cannot be used in availability zone ${pod.az_name}: ${st.detail ?? 'the pod defines it differently'}.`);
  }
  throw conflict(`${NOUNS[kind]} ${id} is not yet available in availability zone ${pod.az_name}: its sync to the pod is pending${job ? ` (job ${job.id})` : ''}; retry shortly.`);
}
