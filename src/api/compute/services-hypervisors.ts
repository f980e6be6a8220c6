/**
 * `os-services` and `os-hypervisors[/detail]` (admin;
 * https://docs.openstack.org/api-ref/compute/#compute-services-os-services): fanned out to every
 * enabled bottom pod and concatenated. Ids must not collide across pods: from 2.53 Nova uses UUIDs,
 * which are unique as they are; below 2.53 the integer ids are offset by the pod's position in
 * creation order (`position * 1_000_000 + id`). A pod's own AZ names are shown as the top AZ, but a
 * host in an aggregate's zone shows that zone, as the pod reports it (Nova's `zone` is the host's
 * aggregate zone when it has one: nova/availability_zones.py set_availability_zones).
 * The hypervisor lists page from 2.33 over the concatenation (pods in creation order, as Nova walks
 * its cells), with the gateway's ids as markers and `hypervisors_links`. A pod that does not answer 200 (its own
 * policy refused, it failed) is named in X-Trio2o-Missing-Pods, never dropped silently.
 */
import type { Context } from 'hono';
import type { Pod } from '../../store';
import { badRequest, isSupported, notFound } from '../../http';
import { podItems, queryOf } from '../common';
import { listBody, nextLinks, novaPage } from './links';
import type { ComputeDeps, ComputeEnv } from './deps';
import { askPods } from '../../fanout';
import { shownZone, type InnerZones } from '../../proxy';
import { innerZones } from './aggregate-zones';
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

/**
 * The zone a service or host of `pod` shows: `internal` (scheduler, conductor) and an aggregate's
 * zone inside the pod (`inner`) as the pod reports them, any other zone of the pod as its top AZ.
 */
export function topZone(pod: Pod, zone: unknown, inner: InnerZones): unknown {
  return zone === 'internal' || typeof zone !== 'string' ? zone : shownZone({ top: pod.az_name, podId: pod.pod_id, inner }, zone);
}

/**
 * Asks every bottom pod `path` and concatenates the `key` lists, ids fixed per pod.
 * @param paged the collection of the links when the list pages (limit/marker over the whole)
 * @param noMatch for searches by hostname pattern: a pod's 404 means "none here", and when no pod
 *   matched the answer is Nova's 404 with this message
 */
export async function gather(deps: ComputeDeps, c: Context<ComputeEnv>, path: string, key: string, fix: (item: Record<string, unknown>, pod: Pod, pos: number) => void, noMatch?: string, paged?: string): Promise<Response> {
  const positions = await podPositions(deps);
  const podPath = `/v2.1/${encodeURIComponent(c.get('projectId'))}${path}`;
  const page = paged ? novaPage(deps, c) : undefined;
  // A paged list is paged here, over the pods' whole lists: a pod knows only its own ids.
  const query = new URLSearchParams([...queryOf(c)].filter(([k]) => !paged || (k !== 'limit' && k !== 'marker')));
  const search = query.size ? `?${query}` : '';
  const accept = (s: number) => s === 200 || (noMatch !== undefined && s === 404);
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: key, question: () => ({ path: podPath, search }), accept });
  const items: Record<string, unknown>[] = [];
  for (const a of answers) {
    if (a.status !== 200) continue;
    for (const item of podItems(a.body, key)) {
      fix(item, a.pod, positions.get(a.pod.pod_id) ?? 0);
      items.push(item);
    }
  }
  if (noMatch !== undefined && answers.length > 0 && answers.every((a) => a.status === 404)) throw notFound(noMatch);
  if (!paged || !page) return c.json({ [key]: items });
  let from = 0;
  if (page.marker !== undefined) {
    from = items.findIndex((i) => String(i.id) === page.marker) + 1;
    if (from === 0) throw badRequest(`marker [${page.marker}] not found`);
  }
  const shown = items.slice(from, from + page.limit);
  return c.json(listBody(key, shown, nextLinks(deps, c, paged, page, shown.length, shown.length ? String(shown.at(-1)!.id) : undefined)));
}

export async function servicesIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-services:list', {});
  const inner = await innerZones(deps);
  return gather(deps, c, '/os-services', 'services', (s, pod, pos) => {
    s.id = globalId(c, pos, s.id);
    s.zone = topZone(pod, s.zone, inner);
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

/** From 2.33 the hypervisor lists page with limit and marker (an id as the gateway shows it). */
function pagedFrom233(c: Context<ComputeEnv>, collection: string): string | undefined {
  return isSupported(c.get('apiVersion'), '2.33') ? collection : undefined;
}

export async function hypervisorsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list', {});
  return gather(deps, c, '/os-hypervisors', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos), patternMiss(c), pagedFrom233(c, 'os-hypervisors'));
}

export async function hypervisorsDetail(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:list-detail', {});
  return gather(deps, c, '/os-hypervisors/detail', 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos), patternMiss(c), pagedFrom233(c, 'os-hypervisors/detail'));
}
