/**
 * One project's resources in one pod, listed with the gateway's credentials (an admin's
 * `all_tenants` list narrowed to the project), for reconciliation and adoption. Filters the pod
 * may not apply are applied again here (project, name), so a looser pod never widens the result.
 */
import type { ResourceType } from '../routing';
import type { Pod } from '../store';
import { RESOURCE_KINDS } from './resources';
import type { ServiceCaller } from './service-calls';

/** The most items one list asks a pod for (Nova's and Cinder's default `max_limit`). */
export const LIST_LIMIT = 1000;

export interface ListFilter {
  projectId: string;
  /** Nova: servers of one multi-create. */
  reservationId?: string;
  /** Cinder attachments: those of one volume. */
  volumeId?: string;
}

/** Thrown when the pod did not answer the list with 200: nothing can be concluded. */
export class ListingUnavailable extends Error {
  override readonly name = 'ListingUnavailable';
}

/**
 * The project's resources of `type` in `pod` (at most LIST_LIMIT), detailed.
 * @throws ListingUnavailable when the pod answers anything but 200; PodError on transport failures
 */
export async function listInPod(service: ServiceCaller, pod: Pod, type: ResourceType, f: ListFilter, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
  const kind = RESOURCE_KINDS[type];
  // Nova's server group list says all_projects where the others say all_tenants.
  const q = new URLSearchParams({ [type === 'server_group' ? 'all_projects' : 'all_tenants']: '1', limit: String(LIST_LIMIT) });
  if (type === 'attachment') {
    if (f.volumeId) q.set('volume_id', f.volumeId);
  } else q.set('project_id', f.projectId);
  if (f.reservationId) q.set('reservation_id', f.reservationId);
  const a = await service.call(pod, { service: kind.service, path: kind.list, search: `?${q}`, version: kind.version, signal });
  const items = (a.body as Record<string, unknown> | null)?.[kind.many];
  if (a.status !== 200 || !Array.isArray(items)) throw new ListingUnavailable(`pod ${pod.pod_name} answered ${a.status} to the list of ${kind.many}`);
  return (items as Record<string, unknown>[]).filter((it) => {
    if (typeof it?.id !== 'string') return false;
    const owner = kind.projectOf(it);
    return owner === undefined || owner === f.projectId;
  });
}
