/**
 * `os-availability-zone[/detail]`: the top AZs are the `az_name`s of the bottom pods, never a pod's
 * own AZ name (the original had no such route). A zone is available while one of its pods is
 * enabled. The admin detail view adds each pod's hosts and services, asked of the pods themselves
 * and filed under the top AZ (a pod's own AZ names never reach users); the pods' `internal` zones
 * (scheduler, conductor) are merged into one. A host aggregate's zone (aggregate-zones.ts) is
 * listed once it has hosts, as Nova lists it, available while its pod is enabled, with the hosts
 * its pod files under it.
 */
import type { Context } from 'hono';
import type { ComputeDeps, ComputeEnv } from './deps';
import { askPods } from '../../fanout';
import { isInnerZone, type InnerZones } from '../../proxy';
import { readInnerZones } from './aggregate-members';
import { can } from './policy';

const INTERNAL = 'internal';

interface ZoneInfo {
  zoneName: string;
  zoneState: { available: boolean };
  hosts: Record<string, Record<string, unknown>> | null;
}

/** Top zones in pod creation order, then the inner zones: [name, available]. */
async function zones(deps: ComputeDeps, inner: InnerZones): Promise<[string, boolean][]> {
  const out = new Map<string, boolean>();
  const pods = await deps.podDir.list();
  for (const p of pods) {
    if (p.az_name === '') continue;
    out.set(p.az_name, (out.get(p.az_name) ?? false) || p.enabled);
  }
  for (const [zone, podIds] of inner) out.set(zone, pods.some((p) => p.enabled && p.az_name !== '' && podIds.has(p.pod_id)));
  // Nova lists available zones first, then the unavailable ones.
  return [...out.entries()].sort((a, b) => Number(b[1]) - Number(a[1]));
}

export async function azIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-availability-zone:list', {});
  const info: ZoneInfo[] = (await zones(deps, await readInnerZones(deps))).map(([zoneName, available]) => ({ zoneName, zoneState: { available }, hosts: null }));
  return c.json({ availabilityZoneInfo: info });
}

export async function azDetail(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-availability-zone:detail', {});
  const inner = await readInnerZones(deps);
  const all = await zones(deps, inner);
  const hosts = new Map<string, Record<string, Record<string, unknown>>>();
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-availability-zone/detail`;
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), {
    service: 'compute',
    name: 'os-availability-zone',
    question: () => ({ path }),
    accept: (s) => s === 200, // a pod that refused is named in X-Trio2o-Missing-Pods
  });
  for (const a of answers) {
    const info = (a.body as { availabilityZoneInfo?: ZoneInfo[] })?.availabilityZoneInfo ?? [];
    for (const z of info) {
      const top = z.zoneName === INTERNAL || isInnerZone(inner, a.pod.pod_id, z.zoneName) ? z.zoneName : a.pod.az_name;
      const into = hosts.get(top) ?? {};
      Object.assign(into, z.hosts ?? {});
      hosts.set(top, into);
    }
  }
  const info: ZoneInfo[] = [];
  if (hosts.has(INTERNAL)) info.push({ zoneName: INTERNAL, zoneState: { available: true }, hosts: hosts.get(INTERNAL)! });
  for (const [zoneName, available] of all) info.push({ zoneName, zoneState: { available }, hosts: available ? (hosts.get(zoneName) ?? {}) : null });
  return c.json({ availabilityZoneInfo: info });
}
