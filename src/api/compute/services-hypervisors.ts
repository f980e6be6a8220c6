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
import { isSupported } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { askPods } from '../../fanout';
import { can } from './policy';

/** Spacing between two pods' integer id ranges. */
export const POD_ID_STRIDE = 1_000_000;

async function podPositions(deps: ComputeDeps): Promise<Map<string, number>> {
  return new Map((await deps.podDir.list()).map((p, i) => [p.pod_id, i]));
}

function globalId(c: Context<ComputeEnv>, pos: number, id: unknown): unknown {
  if (isSupported(c.get('apiVersion'), '2.53') || typeof id !== 'number') return id;
  return pos * POD_ID_STRIDE + id;
}

function topZone(pod: Pod, zone: unknown): unknown {
  return zone === 'internal' || typeof zone !== 'string' ? zone : pod.az_name;
}

async function gather(deps: ComputeDeps, c: Context<ComputeEnv>, path: string, key: string, fix: (item: Record<string, unknown>, pod: Pod, pos: number) => void): Promise<Response> {
  const positions = await podPositions(deps);
  const podPath = `/v2.1/${encodeURIComponent(c.get('projectId'))}${path}`;
  const search = new URL(c.req.url).search;
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: key, question: () => ({ path: podPath, search }), accept: (s) => s === 200 });
  const items: Record<string, unknown>[] = [];
  for (const a of answers) {
    const list = (a.body as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(list)) continue;
    for (const item of list as Record<string, unknown>[]) {
      fix(item, a.pod, positions.get(a.pod.pod_id) ?? 0);
      items.push(item);
    }
  }
  return c.json({ [key]: items });
}

export async function servicesIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-services:list', {});
  return gather(deps, c, '/os-services', 'services', (s, pod, pos) => {
    s.id = globalId(c, pos, s.id);
    s.zone = topZone(pod, s.zone);
  });
}

function fixHypervisor(c: Context<ComputeEnv>, h: Record<string, unknown>, pos: number): void {
  h.id = globalId(c, pos, h.id);
  const svc = h.service as Record<string, unknown> | undefined;
  if (svc && typeof svc === 'object') svc.id = globalId(c, pos, svc.id);
}

export async function hypervisorsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list', {});
  return gather(deps, c, '/os-hypervisors', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos));
}

export async function hypervisorsDetail(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list-detail', {});
  return gather(deps, c, '/os-hypervisors/detail', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos));
}
