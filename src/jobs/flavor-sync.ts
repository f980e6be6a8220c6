/**
 * `flavor_push`: makes one pod hold the gateway's flavor under the same id (a server create
 * forwards `flavorRef` as it is), with the gateway's service credentials, through Nova's flavor
 * API (create 2.55 with description, extra specs, flavor access). The job reads the flavor when it
 * runs, so it always pushes the latest state; a flavor deleted at the gateway is deleted in the pod.
 *
 * A Nova flavor's sizes cannot change once created. When the pod already has a flavor with this
 * id that is something else (other sizes, name or visibility), nothing is overwritten: the
 * flavor's state in that pod becomes `conflict` and the job fails naming both definitions, so one
 * id never silently means two flavors (see /v1.0/jobs; a create naming it in that pod is a 409).
 */
import type { Flavor, NewFlavor, Pod } from '../store';
import { done, fail, wait, type JobHandler, type JobOutcome } from './handler';
import type { RoutingCheckDeps } from './routing-checks';

export const FLAVOR_PUSH = 'flavor_push';

export interface FlavorPushPayload {
  pod_id: string;
  flavor_id: string;
}

/** Nova 2.61 shows extra specs in flavor bodies; 2.55 takes a description. */
const NOVA_FLAVORS = 'compute 2.61';

/** A flavor as Nova shows it (detail view). */
export interface PodFlavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  swap?: number | string;
  rxtx_factor?: number;
  'os-flavor-access:is_public'?: boolean;
  description?: string | null;
  extra_specs?: Record<string, string>;
}

/** A pod's flavor in the gateway's terms (Nova shows swap 0 as "" before 2.75). */
export function podFlavorAsNew(p: PodFlavor): NewFlavor {
  return {
    flavorid: p.id,
    name: p.name,
    memory_mb: p.ram,
    vcpus: p.vcpus,
    root_gb: p.disk,
    ephemeral_gb: Number(p['OS-FLV-EXT-DATA:ephemeral'] ?? 0),
    swap: Number(p.swap === '' ? 0 : (p.swap ?? 0)),
    rxtx_factor: Number(p.rxtx_factor ?? 1),
    is_public: p['os-flavor-access:is_public'] !== false,
    description: p.description ?? null,
  };
}

/** What makes a flavor the flavor it is, in comparable (and readable) form. */
export function topShape(f: Pick<NewFlavor, 'name' | 'memory_mb' | 'vcpus' | 'root_gb' | 'ephemeral_gb' | 'swap' | 'is_public'>): string {
  return `${f.name}: ${f.memory_mb} MB RAM, ${f.vcpus} vCPU, ${f.root_gb} GB disk, ${f.ephemeral_gb} GB ephemeral, ${f.swap} MB swap, ${f.is_public ? 'public' : 'private'}`;
}

export function podShape(p: PodFlavor): string {
  return topShape(podFlavorAsNew(p));
}

/** The conflict message both the job and a refused create show. */
export function flavorConflict(id: string, pod: Pod, podF: PodFlavor, f: Flavor): string {
  return `flavor id ${id} means two flavors: pod ${pod.pod_name} has ${podShape(podF)}; the gateway has ${topShape(f)}`;
}

/**
 * The pod a catalog push goes to, or why there is nothing to do: a pod gone or disabled gets
 * the whole catalog from `pod_catalog_sync` when registered or enabled again.
 */
export async function catalogTarget(deps: Pick<RoutingCheckDeps, 'podDir'>, podId: string): Promise<Pod | JobOutcome> {
  const pod = await deps.podDir.get(podId);
  if (!pod) return done(`pod ${podId} is no longer registered`);
  if (!pod.enabled) return done(`pod ${pod.pod_name} is disabled; it gets the whole catalog when enabled again`);
  return pod;
}

/** The pod's flavor by id (admin view: private ones too), or undefined when it has none. */
export async function podFlavor(deps: RoutingCheckDeps, pod: Pod, id: string, signal?: AbortSignal): Promise<PodFlavor | undefined | 'unknown'> {
  const a = await deps.service.call(pod, { service: 'compute', path: `/v2.1/flavors/${encodeURIComponent(id)}`, version: NOVA_FLAVORS, signal });
  if (a.status === 404) return undefined;
  const f = (a.body as { flavor?: PodFlavor } | null)?.flavor;
  return a.status === 200 && f ? f : 'unknown';
}

async function syncDetails(deps: RoutingCheckDeps, pod: Pod, f: Flavor, podF: PodFlavor | undefined, signal: AbortSignal): Promise<string[]> {
  const { service, store } = deps;
  const base = `/v2.1/flavors/${encodeURIComponent(f.flavorid)}`;
  const changed: string[] = [];
  const ok = (status: number, what: string) => {
    if (status >= 300) throw new Error(`pod ${pod.pod_name} answered ${status} to ${what} of flavor ${f.flavorid}`);
  };
  if (podF && (podF.description ?? null) !== f.description) {
    ok((await service.call(pod, { service: 'compute', method: 'PUT', path: base, version: 'compute 2.55', body: { flavor: { description: f.description } }, signal })).status, 'the description');
    changed.push('description');
  }
  const want = await store.flavors.extraSpecs(f.flavorid);
  const have = podF?.extra_specs ?? {};
  const missing = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  if (Object.keys(missing).length > 0) {
    ok((await service.call(pod, { service: 'compute', method: 'POST', path: `${base}/os-extra_specs`, body: { extra_specs: missing }, signal })).status, 'the extra specs');
    changed.push('extra specs');
  }
  for (const k of Object.keys(have).filter((k) => !(k in want))) {
    const s = (await service.call(pod, { service: 'compute', method: 'DELETE', path: `${base}/os-extra_specs/${encodeURIComponent(k)}`, signal })).status;
    if (s !== 404) ok(s, `the removal of extra spec ${k}`);
    changed.push(`-${k}`);
  }
  if (!f.is_public) {
    const a = await service.call(pod, { service: 'compute', path: `${base}/os-flavor-access`, signal });
    const granted = new Set(((a.body as { flavor_access?: { tenant_id: string }[] } | null)?.flavor_access ?? []).map((x) => x.tenant_id));
    const wanted = new Set(await store.flavors.projects(f.flavorid));
    for (const p of wanted) {
      if (granted.has(p)) continue;
      const s = (await service.call(pod, { service: 'compute', method: 'POST', path: `${base}/action`, body: { addTenantAccess: { tenant: p } }, signal })).status;
      if (s !== 409) ok(s, `access for ${p}`);
      changed.push(`+${p}`);
    }
    for (const p of granted) {
      if (wanted.has(p)) continue;
      const s = (await service.call(pod, { service: 'compute', method: 'POST', path: `${base}/action`, body: { removeTenantAccess: { tenant: p } }, signal })).status;
      if (s !== 404) ok(s, `removal of access for ${p}`);
      changed.push(`-${p}`);
    }
  }
  return changed;
}

export function flavorPushHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    async run(job, ctx) {
      const p = job.payload as FlavorPushPayload;
      const id = p.flavor_id ?? job.resource_id;
      const pod = await catalogTarget(deps, p.pod_id);
      if (!('pod_id' in pod)) return pod;
      const { catalogState } = deps.store;
      const f = await deps.store.flavors.get(id);
      const state = await catalogState.get('flavor', id, pod.pod_id);
      const podF = await podFlavor(deps, pod, id, ctx.signal);
      if (podF === 'unknown') return wait(`pod ${pod.pod_name} did not show flavor ${id}`);
      if (!f) {
        // Deleted at the gateway: delete the pod's copy, never a pod's own flavor it conflicted with.
        if (podF && state?.status !== 'conflict') {
          const s = (await deps.service.call(pod, { service: 'compute', method: 'DELETE', path: `/v2.1/flavors/${encodeURIComponent(id)}`, signal: ctx.signal })).status;
          if (s >= 300 && s !== 404) return wait(`pod ${pod.pod_name} answered ${s} to the deletion of flavor ${id}`);
        }
        await catalogState.remove('flavor', id, pod.pod_id);
        return done(podF ? `flavor ${id} deleted in pod ${pod.pod_name}` : `pod ${pod.pod_name} has no flavor ${id}`);
      }
      if (podF && podShape(podF) !== topShape(f)) {
        const why = flavorConflict(id, pod, podF, f);
        await catalogState.set({ kind: 'flavor', top_id: id, pod_id: pod.pod_id, status: 'conflict', pod_item_id: id, detail: why });
        return fail(why);
      }
      let created = false;
      if (!podF) {
        const body = {
          flavor: {
            id: f.flavorid,
            name: f.name,
            ram: f.memory_mb,
            vcpus: f.vcpus,
            disk: f.root_gb,
            'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
            swap: f.swap,
            rxtx_factor: f.rxtx_factor,
            'os-flavor-access:is_public': f.is_public,
            description: f.description,
          },
        };
        const a = await deps.service.call(pod, { service: 'compute', method: 'POST', path: '/v2.1/flavors', version: 'compute 2.55', body, signal: ctx.signal });
        if (a.status === 409) {
          const why = `pod ${pod.pod_name} refused flavor ${id} (${topShape(f)}): ${JSON.stringify(a.body ?? a.text).slice(0, 300)}`;
          await catalogState.set({ kind: 'flavor', top_id: id, pod_id: pod.pod_id, status: 'conflict', pod_item_id: null, detail: why });
          return fail(why);
        }
        if (a.status !== 200) return wait(`pod ${pod.pod_name} answered ${a.status} to the creation of flavor ${id}`);
        created = true;
      }
      const changed = await syncDetails(deps, pod, f, podF, ctx.signal);
      await catalogState.set({ kind: 'flavor', top_id: id, pod_id: pod.pod_id, status: 'synced', pod_item_id: id, detail: null });
      return done(`flavor ${id} ${created ? 'created' : 'present'} in pod ${pod.pod_name}${changed.length ? `; synced ${changed.join(', ')}` : ''}`);
    },
  };
}

/** The dedup key of a flavor's push to a pod: at most one waits per flavor and pod. */
export const flavorPushKey = (flavorId: string, podId: string) => `${FLAVOR_PUSH}:${flavorId}:${podId}`;

/** Records the push of a flavor to one pod (one waiting job per flavor and pod). */
export async function enqueueFlavorPush(deps: Pick<RoutingCheckDeps, 'store'>, flavorId: string, podId: string): Promise<void> {
  const { store } = deps;
  if (await store.flavors.get(flavorId)) await store.catalogState.markPending('flavor', flavorId, podId);
  await store.jobs.enqueue(FLAVOR_PUSH, flavorId, { pod_id: podId, flavor_id: flavorId } satisfies FlavorPushPayload, { dedupKey: flavorPushKey(flavorId, podId) });
}
