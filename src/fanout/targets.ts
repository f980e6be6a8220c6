/**
 * Which pods a list asks, and which of their resources the caller may see.
 *
 * Pods: the tenant's bindings (history included, as the original's volume list did) plus every
 * pod holding a routing of the tenant; for an admin with all_tenants, every enabled bottom pod.
 * An `availability_zone` filter keeps the pods of that top AZ only, or those holding that inner zone.
 * Visibility: only resources with a routing row (of the tenant, unless all_tenants) in the pod
 * that listed them, so a shared pod never leaks another tenant's resources.
 */
import { isInnerZone } from '../proxy';
import type { Pod, Routing, Store } from '../store';
import type { FanoutDeps, FanoutSpec } from './types';
import type { ListRequest } from './request';

/** The pods to ask, in pod creation order (deterministic headers and tie order). */
export async function targetPods(deps: FanoutDeps, spec: FanoutSpec, req: ListRequest): Promise<Pod[]> {
  const all = await deps.podDir.list();
  let pods: Pod[];
  if (req.allTenants) {
    pods = all.filter((p) => p.az_name !== '' && p.enabled);
  } else {
    const ids = await tenantPodIds(deps.store, req.projectId, spec.resourceType);
    pods = all.filter((p) => p.az_name !== '' && ids.has(p.pod_id));
  }
  const az = spec.az ? req.params.get(spec.az.param) : null;
  if (az !== null) return pods.filter((p) => p.az_name === az || isInnerZone(spec.az?.inner, p.pod_id, az));
  if (pods.length === 0 && spec.sort.params.some((k) => req.params.has(k))) {
    // Nothing of the tenant's anywhere, but the request sorts: the pods are the judges of a sort
    // key (Cinder refuses an unknown one with 400), so one enabled pod is asked anyway. None of
    // its items has a routing of the tenant, so none is shown.
    const judge = all.find((p) => p.az_name !== '' && p.enabled);
    return judge ? [judge] : [];
  }
  return pods;
}

/** The pods a tenant's `type` resources may live in: its bindings (history too) and its routings. */
export async function tenantPodIds(store: Store, projectId: string, type: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const b of await store.bindings.list({ tenant_id: projectId })) ids.add(b.pod_id);
  for (const id of await store.routings.podIds(projectId, type)) ids.add(id);
  return ids;
}


/** The routings the caller may see in one pod, by id. */
export async function visibleRoutings(deps: FanoutDeps, spec: FanoutSpec, req: ListRequest, pod: Pod): Promise<Map<string, Routing>> {
  const rows = await deps.store.routings.list({
    resource_type: spec.resourceType,
    pod_id: pod.pod_id,
    status: 'active',
    ...(req.allTenants ? {} : { project_id: req.projectId }),
  });
  return new Map(rows.map((r) => [r.top_id, r]));
}
