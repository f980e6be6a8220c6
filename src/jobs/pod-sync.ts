/**
 * `pod_catalog_sync`: a pod registered, re-enabled, or present before catalog sync existed gets
 * the gateway's whole catalog, and its own flavors meet the gateway's:
 *
 * - a pod flavor whose id the gateway does not have is imported into the gateway's catalog (and
 *   pushed to the other pods), so users see and can boot what the pods already offer — unless its
 *   name is another gateway flavor's, then it stays the pod's own and the job says so;
 * - a pod flavor with an id the gateway has, defined the same way: nothing to do;
 * - defined differently: if the gateway's flavor is one of its untouched seeds (created by the
 *   schema, never changed, no server created with it, synced to no pod yet), the pod's definition
 *   replaces it — the first pod registered defines ids 1, 2, … as the operator's cloud does;
 *   otherwise the flavor's push to this pod fails naming both definitions (a conflict for an
 *   operator, never silently two flavors under one id);
 * - then one flavor push per gateway flavor and one volume type push per gateway type.
 */
import type { Flavor, Pod } from '../store';
import { done, wait, type JobHandler } from './handler';
import { enqueueFlavorPush, flavorConflict, podFlavorAsNew, podShape, topShape, type PodFlavor } from './flavor-sync';
import type { RoutingCheckDeps } from './routing-checks';
import { enqueueVolumeTypePush } from './volume-type-sync';
import { enqueueCatalogItemPush } from './catalog-item-sync';

export const POD_CATALOG_SYNC = 'pod_catalog_sync';

export interface PodCatalogSyncPayload {
  pod_id: string;
}

const sameSpecs = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** The creation time migration 2 gave its seed flavors. */
const SEED_TIME = '1970-01-01T00:00:00Z';

async function mayRedefine(deps: RoutingCheckDeps, f: Flavor): Promise<boolean> {
  if (f.created_at !== SEED_TIME || f.updated_at !== null) return false;
  if (await deps.store.flavors.inUse(f.flavorid)) return false;
  return !(await deps.store.catalogState.list({ kind: 'flavor', topId: f.flavorid })).some((s) => s.status === 'synced');
}

async function meetPodFlavors(deps: RoutingCheckDeps, pod: Pod, podFlavors: PodFlavor[]): Promise<string[]> {
  const { flavors } = deps.store;
  const notes: string[] = [];
  const others = (await deps.podDir.bottoms()).filter((p) => p.pod_id !== pod.pod_id);
  for (const pf of podFlavors) {
    const mine = await flavors.get(pf.id);
    if (!mine) {
      const named = await flavors.getByName(pf.name);
      if (named) {
        notes.push(`pod flavor ${pf.id} not imported: its name ${pf.name} is gateway flavor ${named.flavorid}`);
        continue;
      }
      await flavors.create(podFlavorAsNew(pf));
      if (pf.extra_specs && Object.keys(pf.extra_specs).length > 0) await flavors.putExtraSpecs(pf.id, pf.extra_specs);
      for (const other of others) await enqueueFlavorPush(deps, pf.id, other.pod_id);
      notes.push(`imported ${pf.id} (${podShape(pf)})`);
      continue;
    }
    if (podShape(pf) === topShape(mine)) continue;
    const clash = pf.name !== mine.name ? await flavors.getByName(pf.name) : undefined;
    if (!clash && (await mayRedefine(deps, mine))) {
      await flavors.redefine(pf.id, podFlavorAsNew(pf));
      notes.push(`seed ${pf.id} redefined as the pod's ${podShape(pf)} (was ${topShape(mine)})`);
    }
  }
  return notes;
}

export function podCatalogSyncHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    async run(job, ctx) {
      const p = job.payload as PodCatalogSyncPayload | null;
      const podId = p?.pod_id ?? job.resource_id!;
      const pod = await deps.podDir.get(podId);
      if (!pod || pod.az_name === '') return done(`pod ${podId} is not a registered bottom pod`);
      if (!pod.enabled) return done(`pod ${pod.pod_name} is disabled`);
      const a = await deps.service.call(pod, { service: 'compute', path: '/v2.1/flavors/detail', search: '?is_public=None', version: 'compute 2.61', signal: ctx.signal });
      const listed = (a.body as { flavors?: PodFlavor[] } | null)?.flavors;
      if (a.status !== 200 || !Array.isArray(listed)) return wait(`pod ${pod.pod_name} answered ${a.status} to its flavor list`);
      const notes = await meetPodFlavors(deps, pod, listed);
      const all = await deps.store.flavors.list({ isPublic: null, sortKey: 'flavorid', sortDir: 'asc' });
      const byId = new Map(listed.map((f) => [f.id, f]));
      let pushed = 0;
      for (const f of all) {
        // What the list already proves is recorded now: a flavor the pod has the same way is usable
        // at once (its push only syncs the details), one it defines otherwise is a conflict.
        const pf = byId.get(f.flavorid);
        if (pf) {
          const same = podShape(pf) === topShape(f);
          await deps.store.catalogState.set({ kind: 'flavor', top_id: f.flavorid, pod_id: pod.pod_id, status: same ? 'synced' : 'conflict', pod_item_id: f.flavorid, detail: same ? null : flavorConflict(f.flavorid, pod, pf, f) });
          // Nothing to push for a public flavor the pod has exactly (description and extra specs too).
          if (same && f.is_public && (pf.description ?? null) === f.description && sameSpecs(pf.extra_specs ?? {}, await deps.store.flavors.extraSpecs(f.flavorid))) continue;
        }
        await enqueueFlavorPush(deps, f.flavorid, pod.pod_id);
        pushed++;
      }
      const vtypes = await deps.store.volumeTypes.list();
      for (const t of vtypes) await enqueueVolumeTypePush(deps, t.id, pod.pod_id);
      let items = 0;
      for (const kind of ['qos_spec', 'group_type', 'default_type'] as const) {
        for (const it of await deps.store.catalogItems.list(kind)) (await enqueueCatalogItemPush(deps, kind, it.id, pod.pod_id), items++);
      }
      notes.push(`${all.length - pushed} flavor(s) already the same in the pod, ${pushed} flavor push(es), ${vtypes.length} volume type push(es) and ${items} QoS spec / group type / default type push(es) recorded`);
      return done(notes.join('; '));
    },
  };
}

/** Records a pod's catalog sync (one waiting per pod). */
export async function enqueuePodCatalogSync(deps: Pick<RoutingCheckDeps, 'store'>, podId: string): Promise<void> {
  await deps.store.jobs.enqueue(POD_CATALOG_SYNC, podId, { pod_id: podId } satisfies PodCatalogSyncPayload, { dedupKey: `${POD_CATALOG_SYNC}:${podId}` });
}
