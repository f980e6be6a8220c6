/**
 * Nova's deprecated proxies to Cinder, `/os-volumes` and `/os-snapshots`
 * (https://docs.openstack.org/api-ref/compute/#volume-extension-os-volumes-os-snapshots-deprecated;
 * nova/api/openstack/compute/volumes.py, snapshots.py): served up to 2.35, Nova's 404 from 2.36.
 * The volumes and snapshots are Cinder's, so they are routed exactly as the volume API routes
 * them (routing types `volume` and `snapshot`), and the calls go to the pod's own Nova, which
 * proxies to its Cinder: its answers are Nova's by construction (camelCase views, `[{}]`
 * attachments, its schema's 400s, Cinder's errors as Nova translates them).
 * - create: placed as a Cinder volume create (the tenant's binding for `availability_zone`, a
 *   `snapshot_id` in its pod, the volume quotas) — refused over quota with the 403 Nova makes of
 *   Cinder's 413 (nova/volume/cinder.py: OverQuota with Cinder's message for a volume,
 *   "Quota exceeded for resources: snapshots" for a snapshot); pending → complete, cost recorded;
 * - a snapshot create goes to the pod of its volume (an unknown volume: 404 in Nova's words,
 *   where Nova itself would answer 500);
 * - by id: the routed pass-through; an accepted DELETE marks the routing deleting, a job removes
 *   it once the pod no longer has the resource;
 * - lists: the tenant's pods in parallel, merged in Cinder's default order (newest `createdAt`
 *   first, then id), `offset`/`limit` over the whole as Nova's `common.limited`.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { askPods, tenantPodIds } from '../../fanout';
import { azToTop, createRouted, deletionEvents, forwardById } from '../../proxy';
import { ApiError, readJson } from '../../http';
import type { Pod } from '../../store';
import { queryOf } from '../common';
import { checkSnapshotCreate, MISSING, placeVolumeCreate, podOf, recordCost, sourceCost } from '../volume';
import type { ComputeDeps, ComputeEnv } from './deps';
import { limited } from './limited';
import { servedBelow } from './refused';

/** The first microversion at which Nova answers these paths 404 (MAX_PROXY_API_SUPPORT_VERSION 2.35). */
const GONE_FROM = '2.36';

type Kind = 'volumes' | 'snapshots';
const TYPE = { volumes: 'volume', snapshots: 'snapshot' } as const;

/** schemas/volumes.py `create` (closed; `size` a whole number ≥ 1 or its digits). */
const VolumeCreate = v.strictObject({
  volume: v.strictObject({
    volume_type: v.optional(v.string()),
    metadata: v.optional(v.record(v.string(), v.unknown())),
    snapshot_id: v.optional(v.string()),
    size: v.union([v.pipe(v.number(), v.integer(), v.minValue(1)), v.pipe(v.string(), v.regex(/^[0-9]+$/))]),
    availability_zone: v.optional(v.string()),
    display_name: v.optional(v.string()),
    display_description: v.optional(v.string()),
  }),
});

/** schemas/snapshots.py `create`. */
const SnapshotCreate = v.strictObject({
  snapshot: v.strictObject({
    volume_id: v.string(),
    force: v.optional(v.unknown()),
    display_name: v.optional(v.string()),
    display_description: v.optional(v.string()),
  }),
});

const proxyServed = (c: Context<ComputeEnv>) => servedBelow(c, GONE_FROM);

/** Answers show the top AZ (`availabilityZone` of Nova's volume view). */
const volumeAzToTop = (pod: Pod) => azToTop(pod.az_name, { one: 'volume', many: 'volumes', field: 'availabilityZone' });

/** Nova's OverQuota for what the gateway's volume quota refused (Cinder's 413). */
async function asNovaQuota<T>(work: Promise<T>, message?: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ApiError && err.status === 413) throw new ApiError(403, message ?? err.message, { cause: err });
    throw err;
  }
}

const nameOf = (item: { display_name?: unknown } | undefined) => (typeof item?.display_name === 'string' ? item.display_name : null);

export async function volumeProxyCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  proxyServed(c);
  const body = await readJson(c);
  const valid = v.is(VolumeCreate, body);
  // A body Nova's schema refuses is still sent to the pod its AZ names: its Nova refuses it in
  // its own words, before any source is looked up or quota counted (Nova validates first).
  const volume = valid ? body.volume : ((body as { volume?: unknown } | null)?.volume ?? {});
  const item = (typeof volume === 'object' && volume !== null && !Array.isArray(volume) ? volume : {}) as Record<string, unknown>;
  const projectId = c.get('projectId');
  const pod = await asNovaQuota(placeVolumeCreate(deps, c, item, valid ? { sources: ['snapshot_id'] } : { sources: [], checkQuota: false }));
  return createRouted(deps, c, {
    pod,
    service: 'compute',
    type: 'volume',
    projectId,
    body: JSON.stringify(body),
    idOf: (json) => (json as { volume?: { id?: unknown } }).volume?.id,
    hint: { name: nameOf(item) },
    // Nova's view names the size and the type (Cinder's `volume_type`, a name) as `volumeType`.
    onCreated: (id, answer) => {
      const shown = (answer as { volume?: { size?: unknown; volumeType?: unknown } } | null)?.volume;
      return recordCost(deps, { id, type: 'volume', projectId, answer: { volume: { size: shown?.size, volume_type: shown?.volumeType } } });
    },
    transform: volumeAzToTop(pod),
  });
}

export async function snapshotProxyCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  proxyServed(c);
  const body = await readJson(c);
  const projectId = c.get('projectId');
  const volumeId = (body as { snapshot?: { volume_id?: unknown } } | null)?.snapshot?.volume_id;
  let pod: Pod;
  if (v.is(SnapshotCreate, body)) {
    pod = await podOf(deps, c, body.snapshot.volume_id, 'volume');
    await asNovaQuota(checkSnapshotCreate(deps, projectId, await sourceCost(deps, 'volume', body.snapshot.volume_id)), 'Quota exceeded for resources: snapshots');
  } else {
    // Nova's schema refuses the body before any volume is looked up: the tenant's default pod
    // answers that 400 in Nova's words.
    pod = (await deps.scheduler.select(projectId, '')).pod;
  }
  return createRouted(deps, c, {
    pod,
    service: 'compute',
    type: 'snapshot',
    projectId,
    body: JSON.stringify(body),
    idOf: (json) => (json as { snapshot?: { id?: unknown } }).snapshot?.id,
    hint: { name: nameOf((body as { snapshot?: { display_name?: unknown } } | null)?.snapshot) },
    onCreated: (id) => recordCost(deps, { id, type: 'snapshot', projectId, volumeId: volumeId as string }),
  });
}

export async function volumeProxyById(deps: ComputeDeps, c: Context<ComputeEnv>, kind: Kind): Promise<Response> {
  proxyServed(c);
  const { response } = await forwardById(deps, c, {
    type: TYPE[kind],
    service: 'compute',
    collection: `os-${kind}`,
    missing: MISSING[TYPE[kind]],
    transform: kind === 'volumes' ? volumeAzToTop : undefined,
    events: deletionEvents(),
  });
  return response;
}

/** Cinder's default order, which Nova's list keeps: newest first, then id (both descending). */
function newestFirst(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const [ca, cb] = [String(a.createdAt ?? ''), String(b.createdAt ?? '')];
  if (ca !== cb) return ca < cb ? 1 : -1;
  const [ia, ib] = [String(a.id), String(b.id)];
  return ia === ib ? 0 : ia < ib ? 1 : -1;
}

export async function volumeProxyList(deps: ComputeDeps, c: Context<ComputeEnv>, kind: Kind): Promise<Response> {
  proxyServed(c);
  const projectId = c.get('projectId');
  const params = queryOf(c);
  const type = TYPE[kind];
  const ids = await tenantPodIds(deps.store, projectId, type);
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && ids.has(p.pod_id));
  // Each pod answers its whole list (Nova's proxy pages nothing); summary and detail are one view.
  const path = `/v2.1/${encodeURIComponent(projectId)}/os-${kind}/detail`;
  const { answers } = await askPods(deps, c, pods, { service: 'compute', name: `os-${kind}`, question: () => ({ path }), accept: (s) => s === 200 });
  // Only what the gateway routes to the caller in the pod that answered, as the volume API's lists show.
  const routed = new Set((await deps.store.routings.list({ resource_type: type, status: 'active', project_id: projectId })).map((r) => `${r.pod_id}/${r.top_id}`));
  const items: Record<string, unknown>[] = [];
  for (const a of answers) {
    const body = kind === 'volumes' ? volumeAzToTop(a.pod)(a.body) : a.body;
    const list = (body as Record<string, unknown> | null)?.[kind];
    if (Array.isArray(list)) items.push(...(list as Record<string, unknown>[]).filter((i) => routed.has(`${a.pod.pod_id}/${String(i.id)}`)));
  }
  return c.json({ [kind]: limited(deps.maxLimit, params, items.sort(newestFirst)) });
}
