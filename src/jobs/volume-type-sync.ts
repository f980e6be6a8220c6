/**
 * `volume_type_push`: makes one pod hold the gateway's volume type — same name, description,
 * visibility, extra specs and project access — through Cinder's types API with the gateway's
 * service credentials. Cinder assigns its own id to a type in each pod; the pod's id is kept
 * (catalog_pod_state.pod_item_id) so creates and retypes are translated on the way down and
 * `volume_type_id` on the way up. A type the pod already has under the same name is taken over
 * (its extra specs are set to the gateway's; keys the pod has and the gateway never pushed are
 * left alone, since they may name the pod's own backend). A type deleted at the gateway is
 * deleted in the pod; Cinder refuses while volumes use it, and the job says so.
 */
import type { Pod, VolumeType } from '../store';
import { done, fail, wait, type JobHandler } from './handler';
import type { RoutingCheckDeps } from './routing-checks';
import { catalogTarget } from './flavor-sync';

export const VOLUME_TYPE_PUSH = 'volume_type_push';

export interface VolumeTypePushPayload {
  pod_id: string;
  type_id: string;
}

interface PodType {
  id: string;
  name: string;
  description?: string | null;
  is_public?: boolean;
  'os-volume-type-access:is_public'?: boolean;
  extra_specs?: Record<string, string>;
}

/** What was pushed last, kept with the state: the extra spec keys the gateway owns in the pod. */
interface Pushed {
  specs: string[];
}

const types = (path = '') => `/v3/{project}/types${path}`;

async function findPodType(deps: RoutingCheckDeps, pod: Pod, t: VolumeType, knownId: string | null, signal: AbortSignal): Promise<PodType | undefined | 'unknown'> {
  if (knownId) {
    const a = await deps.service.call(pod, { service: 'volumev3', path: types(`/${encodeURIComponent(knownId)}`), signal });
    const found = (a.body as { volume_type?: PodType } | null)?.volume_type;
    if (a.status === 200 && found) return found;
    if (a.status !== 404) return 'unknown';
  }
  const a = await deps.service.call(pod, { service: 'volumev3', path: types(), search: '?is_public=None', signal });
  const list = (a.body as { volume_types?: PodType[] } | null)?.volume_types;
  if (a.status !== 200 || !Array.isArray(list)) return 'unknown';
  return list.find((x) => x.name === t.name);
}

export function volumeTypePushHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    async run(job, ctx) {
      const p = job.payload as VolumeTypePushPayload;
      const typeId = p.type_id ?? job.resource_id;
      const pod = await catalogTarget(deps, p.pod_id);
      if (!('pod_id' in pod)) return pod;
      const { catalogState, volumeTypes, volumeTypeSpecs, volumeTypeAccess } = deps.store;
      const state = await catalogState.get('volume_type', typeId, pod.pod_id);
      const t = await volumeTypes.get(typeId);
      const call = (method: string, path: string, body?: unknown) => deps.service.call(pod, { service: 'volumev3', method, path, body, signal: ctx.signal });
      if (!t) {
        if (state?.pod_item_id) {
          const a = await call('DELETE', types(`/${encodeURIComponent(state.pod_item_id)}`));
          if (a.status === 400 || a.status === 409) return fail(`pod ${pod.pod_name} keeps volume type ${state.pod_item_id}: ${JSON.stringify(a.body ?? a.text).slice(0, 300)}`);
          if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the deletion of volume type ${state.pod_item_id}`);
        }
        await catalogState.remove('volume_type', typeId, pod.pod_id);
        return done(state?.pod_item_id ? `volume type ${state.pod_item_id} deleted in pod ${pod.pod_name}` : `pod ${pod.pod_name} had no copy of volume type ${typeId}`);
      }
      const specs = await volumeTypeSpecs.get(t.id);
      let podT = await findPodType(deps, pod, t, state?.pod_item_id ?? null, ctx.signal);
      if (podT === 'unknown') return wait(`pod ${pod.pod_name} did not list its volume types`);
      const done_: string[] = [];
      if (!podT) {
        const a = await call('POST', types(), { volume_type: { name: t.name, description: t.description, 'os-volume-type-access:is_public': t.is_public, extra_specs: specs } });
        const created = (a.body as { volume_type?: PodType } | null)?.volume_type;
        if (a.status !== 200 || !created) return wait(`pod ${pod.pod_name} answered ${a.status} to the creation of volume type ${t.name}`);
        podT = { ...created, extra_specs: specs };
        done_.push('created');
      } else {
        const patch: Record<string, unknown> = {};
        if (podT.name !== t.name) patch.name = t.name;
        if ((podT.description ?? null) !== t.description) patch.description = t.description;
        const podPublic = podT['os-volume-type-access:is_public'] ?? podT.is_public ?? true;
        if (podPublic !== t.is_public) patch.is_public = t.is_public;
        if (Object.keys(patch).length > 0) {
          const a = await call('PUT', types(`/${encodeURIComponent(podT.id)}`), { volume_type: patch });
          if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the update of volume type ${t.name}`);
          done_.push(Object.keys(patch).join(', '));
        }
      }
      const have = podT.extra_specs ?? {};
      const changedSpecs = Object.fromEntries(Object.entries(specs).filter(([k, v]) => have[k] !== v));
      if (Object.keys(changedSpecs).length > 0) {
        const a = await call('POST', types(`/${encodeURIComponent(podT.id)}/extra_specs`), { extra_specs: changedSpecs });
        if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the extra specs of volume type ${t.name}`);
        done_.push('extra specs');
      }
      const pushedBefore: Pushed = state?.detail ? (JSON.parse(state.detail) as Pushed) : { specs: [] };
      for (const k of pushedBefore.specs.filter((k) => !(k in specs) && k in have)) {
        const a = await call('DELETE', types(`/${encodeURIComponent(podT.id)}/extra_specs/${encodeURIComponent(k)}`));
        if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the removal of extra spec ${k}`);
        done_.push(`-${k}`);
      }
      if (!t.is_public) {
        const a = await call('GET', types(`/${encodeURIComponent(podT.id)}/os-volume-type-access`));
        const granted = new Set(((a.body as { volume_type_access?: { project_id: string }[] } | null)?.volume_type_access ?? []).map((x) => x.project_id));
        const wanted = new Set(await volumeTypeAccess.projects(t.id));
        for (const project of wanted) if (!granted.has(project)) (await call('POST', types(`/${encodeURIComponent(podT.id)}/action`), { addProjectAccess: { project } }), done_.push(`+${project}`));
        for (const project of granted) if (!wanted.has(project)) (await call('POST', types(`/${encodeURIComponent(podT.id)}/action`), { removeProjectAccess: { project } }), done_.push(`-${project}`));
      }
      const pushed: Pushed = { specs: Object.keys(specs) };
      await catalogState.set({ kind: 'volume_type', top_id: t.id, pod_id: pod.pod_id, status: 'synced', pod_item_id: podT.id, detail: JSON.stringify(pushed) });
      return done(`volume type ${t.name} is ${podT.id} in pod ${pod.pod_name}${done_.length ? ` (${done_.join('; ')})` : ''}`);
    },
  };
}

/** The dedup key of a type's push to a pod. */
export const volumeTypePushKey = (typeId: string, podId: string) => `${VOLUME_TYPE_PUSH}:${typeId}:${podId}`;

/** Records the push of a volume type to one pod (one waiting job per type and pod). */
export async function enqueueVolumeTypePush(deps: Pick<RoutingCheckDeps, 'store'>, typeId: string, podId: string): Promise<void> {
  const { store } = deps;
  if (await store.volumeTypes.get(typeId)) await store.catalogState.markPending('volume_type', typeId, podId);
  await store.jobs.enqueue(VOLUME_TYPE_PUSH, typeId, { pod_id: podId, type_id: typeId } satisfies VolumeTypePushPayload, { dedupKey: volumeTypePushKey(typeId, podId) });
}
