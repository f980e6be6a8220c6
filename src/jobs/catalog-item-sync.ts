/**
 * `catalog_item_push`: makes one pod hold one item of the volume API's smaller catalogs the
 * gateway owns (store/catalog-items.ts), through Cinder's own API with the gateway's service
 * credentials, and keeps the pod's id for it (catalog_pod_state.pod_item_id) for translation.
 * One job type for every kind; what differs per kind is a `CatalogItemSync` below:
 * - `qos_spec` (https://docs.openstack.org/api-ref/block-storage/v3/#quality-of-service-qos-specs-qos-specs):
 *   found in the pod by name (taken over) or created; its consumer and specs made the gateway's
 *   (keys the gateway pushed before and no longer has are deleted); deleted with the gateway's.
 * - `default_type` (3.62, one per project): the project's default volume type, set in the pod
 *   as the pod's own id of the gateway type; waits while that type's own sync is pending.
 * - `group_type` (3.11): found by the pod's id it was given, else by name (taken over), or created; a
 *   rename at the top renamed in the pod; description, visibility and
 *   group specs made the gateway's; deleted with the gateway's (Cinder refuses while groups use it).
 * Volume types' encryption and QoS association follow their type (volume-type-sync.ts).
 */
import type { CatalogItem, CatalogItemKind, CatalogKind, CatalogState, Pod } from '../store';
import type { ServiceAnswer } from './service-calls';
import { done, fail, wait, type JobHandler, type JobOutcome } from './handler';
import type { RoutingCheckDeps } from './routing-checks';
import { catalogTarget } from './flavor-sync';

export const CATALOG_ITEM_PUSH = 'catalog_item_push';

/** The catalog kinds this job syncs (each is also a catalog_pod_state kind). */
export type SyncedItemKind = Extract<CatalogItemKind, CatalogKind>;

export interface CatalogItemPushPayload {
  kind: SyncedItemKind;
  item_id: string;
  pod_id: string;
}

type Call = (method: string, path: string, body?: unknown, version?: string) => Promise<ServiceAnswer>;

interface SyncContext {
  deps: RoutingCheckDeps;
  pod: Pod;
  call: Call;
  state: CatalogState | undefined;
}

/** What a kind's sync ended with: the pod's id and what to remember, or the job's outcome. */
type Synced = { podItemId: string; detail?: string; note: string } | JobOutcome;

interface CatalogItemSync {
  /** Make the pod hold `item`. */
  push(x: SyncContext, item: CatalogItem): Promise<Synced>;
  /** Remove the pod's copy of an item the gateway no longer has. */
  remove(x: SyncContext, id: string): Promise<JobOutcome | undefined>;
}

const enc = encodeURIComponent;
const brief = (a: ServiceAnswer) => JSON.stringify(a.body ?? a.text).slice(0, 300);

/** A QoS spec as the gateway keeps it: the consumer and the key/value specs. */
export interface QosBody {
  consumer: string;
  specs: Record<string, string>;
}

interface PodQos {
  id: string;
  name: string;
  consumer?: string;
  specs?: Record<string, string>;
}

const qos = (path = '') => `/v3/{project}/qos-specs${path}`;

const QOS_SYNC: CatalogItemSync = {
  async push({ pod, call, state }, item) {
    const body = item.body as unknown as QosBody;
    let found: PodQos | undefined;
    if (state?.pod_item_id) {
      const a = await call('GET', qos(`/${enc(state.pod_item_id)}`));
      if (a.status === 200) found = (a.body as { qos_specs?: PodQos }).qos_specs;
      else if (a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to QoS spec ${state.pod_item_id}`);
    }
    if (!found) {
      const a = await call('GET', qos());
      const list = (a.body as { qos_specs?: PodQos[] } | null)?.qos_specs;
      if (a.status !== 200 || !Array.isArray(list)) return wait(`pod ${pod.pod_name} did not list its QoS specs`);
      found = list.find((q) => q.name === item.name);
    }
    const notes: string[] = [];
    if (!found) {
      const a = await call('POST', qos(), { qos_specs: { name: item.name, consumer: body.consumer, ...body.specs } });
      const created = (a.body as { qos_specs?: PodQos } | null)?.qos_specs;
      if (a.status !== 200 || !created) return wait(`pod ${pod.pod_name} answered ${a.status} to the creation of QoS spec ${item.name}`);
      return { podItemId: created.id, detail: JSON.stringify({ keys: Object.keys(body.specs) }), note: `created as ${created.id}` };
    }
    const have = found.specs ?? {};
    const changed: Record<string, string> = Object.fromEntries(Object.entries(body.specs).filter(([k, v]) => have[k] !== v));
    if (found.consumer !== body.consumer) changed.consumer = body.consumer;
    if (Object.keys(changed).length > 0) {
      const a = await call('PUT', qos(`/${enc(found.id)}`), { qos_specs: changed });
      if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the update of QoS spec ${item.name}`);
      notes.push(Object.keys(changed).join(', '));
    }
    const pushedBefore = state?.detail ? ((JSON.parse(state.detail) as { keys?: string[] }).keys ?? []) : [];
    const stale = pushedBefore.filter((k) => !(k in body.specs) && k in have);
    if (stale.length > 0) {
      const a = await call('PUT', qos(`/${enc(found.id)}/delete_keys`), { keys: stale });
      if (a.status >= 300) return wait(`pod ${pod.pod_name} answered ${a.status} to the removal of QoS keys ${stale.join(', ')}`);
      notes.push(stale.map((k) => `-${k}`).join(', '));
    }
    return { podItemId: found.id, detail: JSON.stringify({ keys: Object.keys(body.specs) }), note: `is ${found.id}${notes.length ? ` (${notes.join('; ')})` : ''}` };
  },
  async remove({ pod, call, state }) {
    if (!state?.pod_item_id) return undefined;
    // The gateway deletes a spec only once no type uses it (or forced): force here too.
    const a = await call('DELETE', qos(`/${enc(state.pod_item_id)}?force=True`));
    if (a.status === 400 || a.status === 409) return fail(`pod ${pod.pod_name} keeps QoS spec ${state.pod_item_id}: ${brief(a)}`);
    if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the deletion of QoS spec ${state.pod_item_id}`);
    return undefined;
  },
};

/** A project's default volume type (3.62) as the gateway keeps it. */
export interface DefaultTypeBody {
  volume_type_id: string;
}

/** Cinder's default-types API begins at 3.62. */
const DEFAULT_TYPES_VERSION = 'volume 3.62';

const DEFAULT_TYPE_SYNC: CatalogItemSync = {
  async push({ deps, pod, call }, item) {
    const typeId = (item.body as unknown as DefaultTypeBody).volume_type_id;
    const st = await deps.store.catalogState.get('volume_type', typeId, pod.pod_id);
    if (st?.status !== 'synced' || !st.pod_item_id) return wait(`volume type ${typeId} is not yet synced to pod ${pod.pod_name}`);
    const a = await call('PUT', `/v3/{project}/default-types/${enc(item.id)}`, { default_type: { volume_type: st.pod_item_id } }, DEFAULT_TYPES_VERSION);
    if (a.status === 400 || a.status === 404) return fail(`pod ${pod.pod_name} refused default type ${st.pod_item_id} for project ${item.id}: ${brief(a)}`);
    if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the default type of project ${item.id}`);
    return { podItemId: st.pod_item_id, note: `project ${item.id} defaults to ${st.pod_item_id}` };
  },
  async remove({ pod, call }, id) {
    const a = await call('DELETE', `/v3/{project}/default-types/${enc(id)}`, undefined, DEFAULT_TYPES_VERSION);
    if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to unsetting the default type of project ${id}`);
    return undefined;
  },
};

/** A group type as the gateway keeps it. */
export interface GroupTypeBody {
  description: string | null;
  is_public: boolean;
  group_specs: Record<string, string>;
}

interface PodGroupType {
  id: string;
  name: string;
  description?: string | null;
  is_public?: boolean;
  group_specs?: Record<string, string>;
}

/** Cinder's group types API begins at 3.11. */
const GROUP_TYPES_VERSION = 'volume 3.11';
const groupTypes = (path = '') => `/v3/{project}/group_types${path}`;
const isSuccess = (status: number) => status >= 200 && status < 300;

const GROUP_TYPE_SYNC: CatalogItemSync = {
  async push({ pod, call, state }, item) {
    const body = item.body as unknown as GroupTypeBody;
    let found: PodGroupType | undefined;
    if (state?.pod_item_id) {
      const a = await call('GET', groupTypes(`/${enc(state.pod_item_id)}`), undefined, GROUP_TYPES_VERSION);
      if (a.status === 200) found = (a.body as { group_type?: PodGroupType }).group_type;
      else if (a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to group type ${state.pod_item_id}`);
    }
    if (!found) {
      // Cinder lists only public group types unless an admin asks for every one.
      const a = await call('GET', groupTypes('?is_public=None'), undefined, GROUP_TYPES_VERSION);
      const list = (a.body as { group_types?: PodGroupType[] } | null)?.group_types;
      if (a.status !== 200 || !Array.isArray(list)) return wait(`pod ${pod.pod_name} did not list its group types`);
      found = list.find((t) => t.name === item.name);
    }
    if (!found) {
      const a = await call('POST', groupTypes(), { group_type: { name: item.name, description: body.description, is_public: body.is_public, group_specs: body.group_specs } }, GROUP_TYPES_VERSION);
      const created = (a.body as { group_type?: PodGroupType } | null)?.group_type;
      // Cinder answers 202 Accepted to a group type's creation and to its group specs
      // (cinder/api/v3/group_types.py, group_specs.py); any 2xx is the pod's yes.
      if (!isSuccess(a.status) || !created) return wait(`pod ${pod.pod_name} answered ${a.status} to the creation of group type ${item.name}`);
      return { podItemId: created.id, detail: JSON.stringify({ keys: Object.keys(body.group_specs) }), note: `created as ${created.id}` };
    }
    const notes: string[] = [];
    const patch: Record<string, unknown> = {};
    // Found by the pod's own id: a type renamed at the top is renamed in the pod.
    if (found.name !== item.name) patch.name = item.name;
    if ((found.description ?? null) !== body.description) patch.description = body.description;
    if ((found.is_public ?? true) !== body.is_public) patch.is_public = body.is_public;
    if (Object.keys(patch).length > 0) {
      const a = await call('PUT', groupTypes(`/${enc(found.id)}`), { group_type: patch }, GROUP_TYPES_VERSION);
      if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the update of group type ${item.name}`);
      notes.push(Object.keys(patch).join(', '));
    }
    const have = found.group_specs ?? {};
    const changed = Object.fromEntries(Object.entries(body.group_specs).filter(([k, v]) => have[k] !== v));
    if (Object.keys(changed).length > 0) {
      const a = await call('POST', groupTypes(`/${enc(found.id)}/group_specs`), { group_specs: changed }, GROUP_TYPES_VERSION);
      if (!isSuccess(a.status)) return wait(`pod ${pod.pod_name} answered ${a.status} to the group specs of ${item.name}`);
      notes.push('group specs');
    }
    const pushedBefore = state?.detail ? ((JSON.parse(state.detail) as { keys?: string[] }).keys ?? []) : [];
    for (const k of pushedBefore.filter((k) => !(k in body.group_specs) && k in have)) {
      const a = await call('DELETE', groupTypes(`/${enc(found.id)}/group_specs/${enc(k)}`), undefined, GROUP_TYPES_VERSION);
      if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the removal of group spec ${k}`);
      notes.push(`-${k}`);
    }
    return { podItemId: found.id, detail: JSON.stringify({ keys: Object.keys(body.group_specs) }), note: `is ${found.id}${notes.length ? ` (${notes.join('; ')})` : ''}` };
  },
  async remove({ pod, call, state }) {
    if (!state?.pod_item_id) return undefined;
    const a = await call('DELETE', groupTypes(`/${enc(state.pod_item_id)}`), undefined, GROUP_TYPES_VERSION);
    if (a.status === 400 || a.status === 409) return fail(`pod ${pod.pod_name} keeps group type ${state.pod_item_id}: ${brief(a)}`);
    if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the deletion of group type ${state.pod_item_id}`);
    return undefined;
  },
};

const SYNCS: Readonly<Record<SyncedItemKind, CatalogItemSync>> = { qos_spec: QOS_SYNC, default_type: DEFAULT_TYPE_SYNC, group_type: GROUP_TYPE_SYNC };

const isOutcome = (s: Synced): s is JobOutcome => 'kind' in s;

export function catalogItemPushHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    async run(job, ctx) {
      const p = job.payload as CatalogItemPushPayload;
      const sync = Object.hasOwn(SYNCS, p.kind) ? SYNCS[p.kind] : undefined;
      if (!sync) return fail(`unknown catalog kind ${p.kind}`);
      const pod = await catalogTarget(deps, p.pod_id);
      if (!('pod_id' in pod)) return pod;
      const call: Call = (method, target, body, version) => {
        const [path = target, query] = target.split('?', 2);
        return deps.service.call(pod, { service: 'volumev3', method, path, search: query ? `?${query}` : undefined, body, version, signal: ctx.signal });
      };
      const state = await deps.store.catalogState.get(p.kind, p.item_id, pod.pod_id);
      const x: SyncContext = { deps, pod, call, state };
      const item = await deps.store.catalogItems.get(p.kind, p.item_id);
      if (!item) {
        const out = await sync.remove(x, p.item_id);
        if (out) return out;
        await deps.store.catalogState.remove(p.kind, p.item_id, pod.pod_id);
        return done(`${p.kind} ${p.item_id} removed from pod ${pod.pod_name}`);
      }
      const synced = await sync.push(x, item);
      if (isOutcome(synced)) return synced;
      await deps.store.catalogState.set({ kind: p.kind, top_id: item.id, pod_id: pod.pod_id, status: 'synced', pod_item_id: synced.podItemId, detail: synced.detail ?? null });
      return done(`${p.kind} ${item.name ?? item.id} ${synced.note} in pod ${pod.pod_name}`);
    },
  };
}

/** The dedup key of an item's push to a pod. */
export const catalogItemPushKey = (kind: SyncedItemKind) => (id: string, podId: string) => `${CATALOG_ITEM_PUSH}:${kind}:${id}:${podId}`;

/** Records the push of one catalog item to one pod (one waiting job per item and pod). */
export async function enqueueCatalogItemPush(deps: Pick<RoutingCheckDeps, 'store'>, kind: SyncedItemKind, id: string, podId: string): Promise<void> {
  const { store } = deps;
  if (await store.catalogItems.get(kind, id)) await store.catalogState.markPending(kind, id, podId);
  await store.jobs.enqueue(CATALOG_ITEM_PUSH, id, { kind, item_id: id, pod_id: podId } satisfies CatalogItemPushPayload, { dedupKey: catalogItemPushKey(kind)(id, podId) });
}
