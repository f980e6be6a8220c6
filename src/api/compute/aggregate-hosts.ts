/**
 * Compute hosts in the gateway's aggregates (add_host, remove_host). A host lives in one pod:
 * the gateway records the membership (aggregate-members.ts) and mirrors it into that
 * pod, in one pod aggregate per top aggregate and pod, named `trio2o-<top uuid>`, holding the top
 * aggregate's metadata and the pod's member hosts; so a pod's scheduler filters that read
 * aggregates (AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation...) see what the
 * operator set at the top. The mirror is deleted with the pod's last member.
 * The `availability_zone` metadata is mirrored too: the hosts become a zone inside their pod
 * (aggregate-zones.ts). Nova's rules hold (nova/compute/api.py `is_safe_to_update_az`): a host
 * is in one zone at most, so joining or naming a second zone is refused (409 on add_host, 400 on
 * update and set_metadata, Nova's words). Two more rules keep the zone routable: a zone lives in
 * one pod (its hosts cannot span pods: one create must have one pod to go to), and it cannot take
 * the name of a top AZ (that name already routes by the tenant's bindings). The pod judges the
 * rest itself (a host with servers changing zone) and its refusal is passed on.
 * Nova's answers otherwise: an unknown compute host 404, a member twice 409, deleting an aggregate
 * that still has hosts 400.
 */
import type { Context } from 'hono';
import { callPod } from '../../proxy';
import type { Aggregate, Pod } from '../../store';
import { ApiError, badRequest, conflict, notFound } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { podOfHost } from './pod-admin-by-id';
import { allMembers, AZ_KEY, forgetMember, membersOf, recordMember, type Member } from './aggregate-members';

/** Nova's wording of a refused aggregate change, by the call that asked for it. */
const REFUSALS = {
  add_host: (id: number, reason: string) => conflict(`Cannot add host to aggregate ${id}. Reason: ${reason}.`),
  update: (id: number, reason: string) => badRequest(`Cannot update aggregate ${id}. Reason: ${reason}.`),
  set_metadata: (id: number, reason: string) => badRequest(`Cannot update metadata of aggregate ${id}. Reason: ${reason}.`),
} as const;
export type ZoneChange = keyof typeof REFUSALS;

/** Refuses a zone named like a top AZ: that name routes by the tenant's bindings, to any of its pods. */
export async function checkZoneName(deps: ComputeDeps, zone: string, refuse: (reason: string) => Error): Promise<void> {
  if ((await deps.podDir.list()).some((p) => p.az_name === zone)) throw refuse(`availability zone ${zone} is the zone of a pod; an aggregate's zone needs a name of its own`);
}

/**
 * Refuses giving aggregate `a` the zone `zone` (with `joining` as a new host, or its own hosts):
 * no zone or an empty one (Nova refuses removing a zone), a host already in another zone (Nova's
 * check, its message with the zones as Python prints a list), the zone spread over two pods, or
 * the name of a top AZ.
 */
export async function checkZone(deps: ComputeDeps, a: Aggregate, zone: string | null, change: ZoneChange, joining?: Member): Promise<void> {
  const refuse = (reason: string) => REFUSALS[change](a.id, reason);
  if (!zone) throw refuse(`Aggregate ${a.name} does not support empty named availability zone`);
  await checkZoneName(deps, zone, refuse);
  const pods = await deps.podDir.list();
  const aggregates = await deps.store.aggregates.list();
  const all = await allMembers(deps);
  const mine = joining ? [joining] : all.filter((m) => m.aggregate_id === a.id);
  const hosts = new Set(mine.map((m) => m.host));
  const zoneOf = new Map(aggregates.map((x) => [x.id, x.metadata[AZ_KEY]]));
  const others = [...new Set(all.filter((m) => m.aggregate_id !== a.id && hosts.has(m.host)).map((m) => zoneOf.get(m.aggregate_id)))].filter((z): z is string => !!z && z !== zone);
  if (others.length > 0) throw refuse(`One or more hosts already in availability zone(s) [${others.map((z) => `'${z}'`).join(', ')}]`);
  const holders = new Set([...mine, ...all.filter((m) => m.aggregate_id === a.id || zoneOf.get(m.aggregate_id) === zone)].map((m) => m.pod_id));
  if (holders.size > 1) {
    const names = pods.filter((p) => holders.has(p.pod_id)).map((p) => p.pod_name);
    throw refuse(`availability zone ${zone} would have hosts in pods ${names.join(' and ')}; a zone lives in one pod`);
  }
}

/** One call to the pod's os-aggregates; a refusal or failure is the caller's error, the pod named. */
async function askPod(deps: ComputeDeps, c: Context<ComputeEnv>, pod: Pod, method: string, sub: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const project = encodeURIComponent(c.get('projectId'));
  const res = await callPod(deps.proxy, c, { pod, service: 'compute', projectId: c.get('projectId'), method, path: `/v2.1/${project}/os-aggregates${sub}`, search: '', body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* not JSON: the status says enough */
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status, json };
  if (res.status === 404) return { status: 404, json };
  const fault = Object.values(json)[0] as { message?: unknown } | undefined;
  const message = typeof fault?.message === 'string' ? fault.message : `status ${res.status}`;
  throw new ApiError(res.status >= 500 ? 502 : res.status, `Pod ${pod.pod_name} refused the aggregate's mirror: ${message}`);
}

export async function addHost(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, host: string): Promise<void> {
  const pod = await podOfHost(deps, c, host, 'nova-compute', () => notFound(`Compute host ${host} could not be found.`), 'the gateway cannot tell which pod is meant');
  if (!pod) throw notFound(`Compute host ${host} could not be found.`);
  const all = await membersOf(deps, a.id);
  if (all.some((m) => m.host === host)) throw conflict(`Aggregate ${a.id} already has host ${host}.`);
  let mirror = all.find((m) => m.pod_id === pod.pod_id)?.pod_aggregate_id;
  const zone = a.metadata[AZ_KEY];
  if (zone) await checkZone(deps, a, zone, 'add_host', { aggregate_id: a.id, host, pod_id: pod.pod_id, pod_aggregate_id: mirror ?? 0 });
  const made = mirror === undefined;
  if (mirror === undefined) {
    const created = await askPod(deps, c, pod, 'POST', '', { aggregate: { name: `trio2o-${a.uuid}` } });
    mirror = Number((created.json.aggregate as { id?: unknown } | undefined)?.id);
  }
  // A refusal (Nova's 409 for a host whose servers would change zone) leaves no new mirror behind.
  const added = await (async () => {
    if (made && Object.keys(a.metadata).length > 0) await askPod(deps, c, pod, 'POST', `/${mirror}/action`, { set_metadata: { metadata: a.metadata } });
    return askPod(deps, c, pod, 'POST', `/${mirror}/action`, { add_host: { host } });
  })().catch(async (err: unknown) => {
    if (made) await askPod(deps, c, pod, 'DELETE', `/${mirror}`);
    throw err;
  });
  if (added.status === 404) {
    if (made) await askPod(deps, c, pod, 'DELETE', `/${mirror}`);
    throw notFound(`Compute host ${host} could not be found.`);
  }
  await recordMember(deps, { aggregate_id: a.id, host, pod_id: pod.pod_id, pod_aggregate_id: mirror });
}

export async function removeHost(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, host: string): Promise<void> {
  const all = await membersOf(deps, a.id);
  const m = all.find((x) => x.host === host);
  if (!m) throw notFound(`Cannot remove host ${host} in aggregate ${a.id}`);
  const pod = await deps.podDir.get(m.pod_id);
  // A pod that is gone took its hosts and its mirror with it; a pod's 404 proves the same.
  if (pod) {
    await askPod(deps, c, pod, 'POST', `/${m.pod_aggregate_id}/action`, { remove_host: { host } });
    if (!all.some((x) => x !== m && x.pod_id === m.pod_id)) await askPod(deps, c, pod, 'DELETE', `/${m.pod_aggregate_id}`);
  }
  await forgetMember(deps, a.id, host);
}

/** Refuses deleting an aggregate that still has hosts, as Nova does. */
export async function checkEmpty(deps: ComputeDeps, a: Aggregate): Promise<void> {
  if ((await membersOf(deps, a.id)).length > 0) throw badRequest(`Cannot remove host from aggregate ${a.id}. Reason: Host aggregate is not empty.`);
}

/** Mirrors metadata changes (the zone included) into every pod that holds a member of the aggregate. */
export async function pushMetadata(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, metadata: Record<string, string | null>): Promise<void> {
  if (Object.keys(metadata).length === 0) return;
  const pods = await deps.podDir.list();
  const mirrors = new Map((await membersOf(deps, a.id)).map((m) => [m.pod_id, m.pod_aggregate_id]));
  for (const [podId, mirror] of mirrors) {
    const pod = pods.find((p) => p.pod_id === podId);
    if (pod) await askPod(deps, c, pod, 'POST', `/${mirror}/action`, { set_metadata: { metadata } });
  }
}
