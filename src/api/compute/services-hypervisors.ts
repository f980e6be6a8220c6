/**
 * `os-services` and `os-hypervisors[/detail]` (admin;
 * https://docs.openstack.org/api-ref/compute/#compute-services-os-services): fanned out to every
 * enabled bottom pod and concatenated. Ids must not collide across pods: from 2.53 Nova uses UUIDs,
 * which are unique as they are; below 2.53 the integer ids are offset by the pod's position in
 * creation order (`position * 1_000_000 + id`). A pod's own AZ names are shown as the top AZ.
 * Paging parameters are forwarded to each pod and the pages concatenated (no cross-pod merge), so
 * `limit` bounds each pod's part, not the whole answer. A pod that does not answer 200 (its own
 * policy refused, it failed) is named in X-Trio2o-Missing-Pods, never dropped silently.
 */
import type { Context } from 'hono';
import type { Pod } from '../../store';
import { isSupported, notFound } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { askPods } from '../../fanout';
import { can } from './policy';

/** Spacing between two pods' integer id ranges. */
export const POD_ID_STRIDE = 1_000_000;

export async function podPositions(deps: ComputeDeps): Promise<Map<string, number>> {
  return new Map((await deps.podDir.list()).map((p, i) => [p.pod_id, i]));
}

/** The id the gateway shows for a pod's own service or hypervisor id. */
export function globalId(c: Context<ComputeEnv>, pos: number, id: unknown): unknown {
  if (isSupported(c.get('apiVersion'), '2.53') || typeof id !== 'number') return id;
  return pos * POD_ID_STRIDE + id;
}

export function topZone(pod: Pod, zone: unknown): unknown {
  return zone === 'internal' || typeof zone !== 'string' ? zone : pod.az_name;
}

/**
 * Asks every bottom pod `path` and concatenates the `key` lists, ids fixed per pod.
 * @param noMatch for searches by hostname pattern: a pod's 404 means "none here", and when no pod
 *   matched the answer is Nova's 404 with this message
 */
export async function gather(deps: ComputeDeps, c: Context<ComputeEnv>, path: string, key: string, fix: (item: Record<string, unknown>, pod: Pod, pos: number) => void, noMatch?: string): Promise<Response> {
  const positions = await podPositions(deps);
  const podPath = `/v2.1/${encodeURIComponent(c.get('projectId'))}${path}`;
  const search = new URL(c.req.url).search;
  const accept = (s: number) => s === 200 || (noMatch !== undefined && s === 404);
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: key, question: () => ({ path: podPath, search }), accept });
  const items: Record<string, unknown>[] = [];
  for (const a of answers) {
    const list = (a.body as Record<string, unknown> | null)?.[key];
    if (a.status !== 200 || !Array.isArray(list)) continue;
    for (const item of list as Record<string, unknown>[]) {
      fix(item, a.pod, positions.get(a.pod.pod_id) ?? 0);
      items.push(item);
    }
  }
  if (noMatch !== undefined && answers.length > 0 && answers.every((a) => a.status === 404)) throw notFound(noMatch);
  return c.json({ [key]: items });
}

export async function servicesIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-services:list', {});
  return gather(deps, c, '/os-services', 'services', (s, pod, pos) => {
    s.id = globalId(c, pos, s.id);
    s.zone = topZone(pod, s.zone);
  });
}

export function fixHypervisor(c: Context<ComputeEnv>, h: Record<string, unknown>, pos: number): void {
  h.id = globalId(c, pos, h.id);
  const svc = h.service as Record<string, unknown> | undefined;
  if (svc && typeof svc === 'object') svc.id = globalId(c, pos, svc.id);
}

/** From 2.53 a hostname pattern filters the lists, and no match anywhere is Nova's 404. */
function patternMiss(c: Context<ComputeEnv>): string | undefined {
  const pattern = c.req.query('hypervisor_hostname_pattern');
  return pattern !== undefined && isSupported(c.get('apiVersion'), '2.53') ? `No hypervisor matching '${pattern}' could be found.` : undefined;
}

export async function hypervisorsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list', {});
  return gather(deps, c, '/os-hypervisors', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos), patternMiss(c));
}

export async function hypervisorsDetail(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list-detail', {});
  return gather(deps, c, '/os-hypervisors/detail', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos), patternMiss(c));
}
