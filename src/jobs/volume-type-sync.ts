/**
 * `volume_type_push`: makes one pod hold the gateway's volume type — same name, description,
 * visibility, extra specs and project access — through Cinder's types API with the gateway's
 * service credentials. Cinder assigns its own id to a type in each pod; the pod's id is kept
 * (catalog_pod_state.pod_item_id) so creates and retypes are translated on the way down and
 * `volume_type_id` on the way up. A type the pod already has under the same name is taken over
 * (its extra specs are set to the gateway's; keys the pod has and the gateway never pushed are
 * left alone, since they may name the pod's own backend). A type deleted at the gateway is
 * deleted in the pod; Cinder refuses while volumes use it, and the job says so. The type's QoS
 * association (to the pod's id of the gateway's QoS spec, waiting while that spec's own sync is
 * pending) and its encryption (`types/{id}/encryption`) follow the gateway's.
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
  qos_specs_id?: string | null;
}

/** Cinder's type encryption fields the gateway keeps (cinder/api/contrib/volume_type_encryption.py). */
const ENCRYPTION_FIELDS = ['provider', 'cipher', 'key_size', 'control_location'] as const;

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
      const call = (method: string, target: string, body?: unknown) => {
        const [path = target, query] = target.split('?', 2);
        return deps.service.call(pod, { service: 'volumev3', method, path, search: query ? `?${query}` : undefined, body, signal: ctx.signal });
      };
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
      const qosOut = await syncQosAssociation(deps, pod, call, t, podT);
      if (typeof qosOut !== 'string') return qosOut;
      if (qosOut) done_.push(qosOut);
      const encOut = await syncEncryption(deps, pod, call, t, podT.id);
      if (typeof encOut !== 'string') return encOut;
      if (encOut) done_.push(encOut);
      const pushed: Pushed = { specs: Object.keys(specs) };
      await catalogState.set({ kind: 'volume_type', top_id: t.id, pod_id: pod.pod_id, status: 'synced', pod_item_id: podT.id, detail: JSON.stringify(pushed) });
      return done(`volume type ${t.name} is ${podT.id} in pod ${pod.pod_name}${done_.length ? ` (${done_.join('; ')})` : ''}`);
    },
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown; text: string }>;

/** Associates the pod's type with the pod's id of the gateway type's QoS spec (or none). */
async function syncQosAssociation(deps: RoutingCheckDeps, pod: Pod, call: Call, t: VolumeType, podT: PodType): Promise<string | ReturnType<typeof wait>> {
  let want: string | null = null;
  if (t.qos_specs_id) {
    const st = await deps.store.catalogState.get('qos_spec', t.qos_specs_id, pod.pod_id);
    if (st?.status !== 'synced' || !st.pod_item_id) return wait(`QoS spec ${t.qos_specs_id} is not yet synced to pod ${pod.pod_name}`);
    want = st.pod_item_id;
  }
  const shown = await call('GET', types(`/${encodeURIComponent(podT.id)}`));
  const have = (shown.body as { volume_type?: PodType } | null)?.volume_type?.qos_specs_id ?? null;
  if (have === want) return '';
  const q = (id: string, what: string) => call('GET', `/v3/{project}/qos-specs/${encodeURIComponent(id)}/${what}?vol_type_id=${encodeURIComponent(podT.id)}`);
  if (have) {
    const a = await q(have, 'disassociate');
    if (a.status >= 300 && a.status !== 404) return wait(`pod ${pod.pod_name} answered ${a.status} to the QoS disassociation of volume type ${t.name}`);
  }
  if (want) {
    const a = await q(want, 'associate');
    if (a.status >= 300) return wait(`pod ${pod.pod_name} answered ${a.status} to the QoS association of volume type ${t.name}`);
  }
  return want ? `qos ${want}` : 'qos none';
}

/** Makes the pod type's encryption the gateway's (created, updated or deleted). */
async function syncEncryption(deps: RoutingCheckDeps, pod: Pod, call: Call, t: VolumeType, podTypeId: string): Promise<string | ReturnType<typeof wait>> {
  const want = (await deps.store.catalogItems.get('type_encryption', t.id))?.body;
  const path = types(`/${encodeURIComponent(podTypeId)}/encryption`);
  const a = await call('GET', path);
  if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the encryption of volume type ${t.name}`);
  const have = a.body as Record<string, unknown> | null;
  const haveId = typeof have?.encryption_id === 'string' ? have.encryption_id : undefined;
  const pick = (e: Record<string, unknown>) => JSON.stringify(ENCRYPTION_FIELDS.map((k) => e[k] ?? null));
  if (!want) {
    if (!haveId) return '';
    const d = await call('DELETE', `${path}/${encodeURIComponent(haveId)}`);
    if (d.status === 400) return fail(`pod ${pod.pod_name} keeps the encryption of volume type ${t.name}: ${JSON.stringify(d.body ?? d.text).slice(0, 300)}`);
    if (d.status >= 300 && d.status !== 404) return wait(`pod ${pod.pod_name} answered ${d.status} to removing the encryption of volume type ${t.name}`);
    return 'encryption removed';
  }
  if (haveId && have && pick(have) === pick(want)) return '';
  const w = haveId ? await call('PUT', `${path}/${encodeURIComponent(haveId)}`, { encryption: want }) : await call('POST', path, { encryption: want });
  if (w.status === 400) return fail(`pod ${pod.pod_name} refused the encryption of volume type ${t.name}: ${JSON.stringify(w.body ?? w.text).slice(0, 300)}`);
  if (w.status !== 200) return wait(`pod ${pod.pod_name} answered ${w.status} to the encryption of volume type ${t.name}`);
  return 'encryption';
}

/** The dedup key of a type's push to a pod. */
export const volumeTypePushKey = (typeId: string, podId: string) => `${VOLUME_TYPE_PUSH}:${typeId}:${podId}`;

/** Records the push of a volume type to one pod (one waiting job per type and pod). */
export async function enqueueVolumeTypePush(deps: Pick<RoutingCheckDeps, 'store'>, typeId: string, podId: string): Promise<void> {
  const { store } = deps;
  if (await store.volumeTypes.get(typeId)) await store.catalogState.markPending('volume_type', typeId, podId);
  await store.jobs.enqueue(VOLUME_TYPE_PUSH, typeId, { pod_id: podId, type_id: typeId } satisfies VolumeTypePushPayload, { dedupKey: volumeTypePushKey(typeId, podId) });
}
