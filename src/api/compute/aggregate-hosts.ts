/**
 * Compute hosts in the gateway's aggregates (add_host, remove_host). A host lives in one pod:
 * the gateway records the membership (catalog item `aggregate_host`) and mirrors it into that
 * pod, in one pod aggregate per top aggregate and pod, named `trio2o-<top uuid>`, holding the top
 * aggregate's metadata and the pod's member hosts; so a pod's scheduler filters that read
 * aggregates (AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation...) see what the
 * operator set at the top. The mirror is deleted with the pod's last member.
 * Availability zones are not mirrored: a host's zone is its pod's top AZ, by which every create is
 * routed, so an aggregate with hosts gets no AZ and one with an AZ gets no hosts (400, the reason
 * named). Nova's answers otherwise: an unknown compute host 404, a member twice 409, deleting an
 * aggregate that still has hosts 400.
 */
import type { Context } from 'hono';
import { callPod } from '../../proxy';
import type { Aggregate, Pod } from '../../store';
import { ApiError, badRequest, conflict, notFound } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { podOfHost } from './pod-admin-by-id';

const KIND = 'aggregate_host';
export const AZ_KEY = 'availability_zone';

interface Member {
  aggregate_id: number;
  host: string;
  pod_id: string;
  /** The mirror aggregate's id in the pod. */
  pod_aggregate_id: number;
}

const memberId = (aggregateId: number, host: string) => `${aggregateId}/${host}`;

/** Every aggregate's hosts, by aggregate id, in the order they were added. */
export async function hostsByAggregate(deps: ComputeDeps): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const { body: m } of await deps.store.catalogItems.list<Member>(KIND)) out.set(m.aggregate_id, [...(out.get(m.aggregate_id) ?? []), m.host]);
  return out;
}

async function members(deps: ComputeDeps, aggregateId: number): Promise<Member[]> {
  return (await deps.store.catalogItems.list<Member>(KIND)).map((i) => i.body).filter((m) => m.aggregate_id === aggregateId);
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

const withoutAz = (metadata: Record<string, string | null>) => Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== AZ_KEY));

export async function addHost(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, host: string): Promise<void> {
  if (a.metadata[AZ_KEY]) throw badRequest(`Cannot add host ${host} to aggregate ${a.id}: its availability zone ${a.metadata[AZ_KEY]} cannot hold a pod's host, whose zone is its pod's.`);
  const pod = await podOfHost(deps, c, host, 'nova-compute', () => notFound(`Compute host ${host} could not be found.`), 'the gateway cannot tell which pod is meant');
  if (!pod) throw notFound(`Compute host ${host} could not be found.`);
  const all = await members(deps, a.id);
  if (all.some((m) => m.host === host)) throw conflict(`Aggregate ${a.id} already has host ${host}.`);
  let mirror = all.find((m) => m.pod_id === pod.pod_id)?.pod_aggregate_id;
  const made = mirror === undefined;
  if (mirror === undefined) {
    const created = await askPod(deps, c, pod, 'POST', '', { aggregate: { name: `trio2o-${a.uuid}` } });
    mirror = Number((created.json.aggregate as { id?: unknown } | undefined)?.id);
    const metadata = withoutAz(a.metadata);
    if (Object.keys(metadata).length > 0) await askPod(deps, c, pod, 'POST', `/${mirror}/action`, { set_metadata: { metadata } });
  }
  const added = await askPod(deps, c, pod, 'POST', `/${mirror}/action`, { add_host: { host } });
  if (added.status === 404) {
    if (made) await askPod(deps, c, pod, 'DELETE', `/${mirror}`);
    throw notFound(`Compute host ${host} could not be found.`);
  }
  await deps.store.catalogItems.create<Member>(KIND, { id: memberId(a.id, host), body: { aggregate_id: a.id, host, pod_id: pod.pod_id, pod_aggregate_id: mirror } });
}

export async function removeHost(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, host: string): Promise<void> {
  const all = await members(deps, a.id);
  const m = all.find((x) => x.host === host);
  if (!m) throw notFound(`Cannot remove host ${host} in aggregate ${a.id}`);
  const pod = await deps.podDir.get(m.pod_id);
  // A pod that is gone took its hosts and its mirror with it; a pod's 404 proves the same.
  if (pod) {
    await askPod(deps, c, pod, 'POST', `/${m.pod_aggregate_id}/action`, { remove_host: { host } });
    if (!all.some((x) => x !== m && x.pod_id === m.pod_id)) await askPod(deps, c, pod, 'DELETE', `/${m.pod_aggregate_id}`);
  }
  await deps.store.catalogItems.delete(KIND, memberId(a.id, host));
}

/** Refuses what would give an aggregate with hosts an availability zone, or delete it. */
export async function checkHostsAllow(deps: ComputeDeps, a: Aggregate, change: 'zone' | 'delete'): Promise<void> {
  if ((await members(deps, a.id)).length === 0) return;
  if (change === 'delete') throw badRequest(`Cannot remove host from aggregate ${a.id}. Reason: Host aggregate is not empty.`);
  throw badRequest(`Cannot set an availability zone on aggregate ${a.id}: it holds compute hosts, whose zone is their pod's.`);
}

/** Mirrors metadata changes into every pod that holds a member of the aggregate. */
export async function pushMetadata(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate, changes: Record<string, string | null>): Promise<void> {
  const metadata = withoutAz(changes);
  if (Object.keys(metadata).length === 0) return;
  const pods = await deps.podDir.list();
  const mirrors = new Map((await members(deps, a.id)).map((m) => [m.pod_id, m.pod_aggregate_id]));
  for (const [podId, mirror] of mirrors) {
    const pod = pods.find((p) => p.pod_id === podId);
    if (pod) await askPod(deps, c, pod, 'POST', `/${mirror}/action`, { set_metadata: { metadata } });
  }
}
