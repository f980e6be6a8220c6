/**
 * The admin calls addressed to one pod's service or hypervisor, by the id the gateway's lists
 * gave it (services-hypervisors.ts):
 * - below 2.53 the id is `position * POD_ID_STRIDE + the pod's id`: the pod and its own id are
 *   read back from it (Nova's messages for an id that is not an integer, or names no pod);
 * - from 2.53 it is the pod's UUID, unique as it is: the pods are asked for their list in
 *   parallel and the one that has it gets the call;
 * - the legacy service updates (`PUT /os-services/enable|disable|disable-log-reason|force-down`,
 *   below 2.53) name a host: the pod whose services include that host gets the call, and a host
 *   name two pods share is a 409 (update it by its 2.53 id).
 * Answers are the pod's, ids and AZs shown as the lists show them. `/os-hypervisors/statistics`
 * sums every pod's statistics; `/{pattern}/search` and `/{pattern}/servers` (below 2.53) are
 * asked of every pod and concatenated.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { callPod, respond } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, conflict, isSupported, notFound, peekJson } from '../../http';
import { noneFound } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { can } from './policy';
import { innerZones } from './aggregate-zones';
import type { ComputeRule } from './policy-rules';
import { fixHypervisor, gather, globalId, podPositions, POD_ID_STRIDE, topZone } from './services-hypervisors';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const NOT_FOUND = 'The resource could not be found.';

interface Kind {
  /** Collection path on the pods. */
  path: '/os-services' | '/os-hypervisors';
  key: 'services' | 'hypervisors';
  /** Nova's 404 for an unknown id. */
  missing: (id: string) => string;
  /** Nova's answer below 2.53 for an id that is not an integer. */
  notInteger: (id: string) => Error;
}

const SERVICES: Kind = {
  path: '/os-services',
  key: 'services',
  missing: (id) => `Service ${id} could not be found.`,
  notInteger: () => badRequest('Invalid input received: id must be an integer'),
};
const HYPERVISORS: Kind = {
  path: '/os-hypervisors',
  key: 'hypervisors',
  missing: (id) => `Hypervisor with ID '${id}' could not be found.`,
  notInteger: (id) => notFound(`Hypervisor with ID '${id}' could not be found.`),
};

/** The pod holding `id` and that pod's own id for it. */
async function locate(deps: ComputeDeps, c: Context<ComputeEnv>, kind: Kind, id: string): Promise<{ pod: Pod; localId: string }> {
  const pods = await deps.podDir.bottoms();
  if (isSupported(c.get('apiVersion'), '2.53')) {
    if (!UUID.test(id)) throw badRequest(`Invalid uuid ${id}`);
    const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}${kind.path}`;
    const { answers, missing } = await askPods(deps, c, pods, { service: 'compute', name: `${kind.key}-locate`, question: () => ({ path }), accept: (s) => s === 200 });
    const holder = answers.find((a) => ((a.body as Record<string, unknown> | null)?.[kind.key] as { id?: unknown }[] | undefined)?.some((x) => x?.id === id));
    if (!holder) throw noneFound(missing, notFound(kind.missing(id)), answers.length);
    return { pod: holder.pod, localId: id };
  }
  if (!/^\d+$/.test(id)) throw kind.notInteger(id);
  const n = Number(id);
  const positions = await podPositions(deps);
  const pod = pods.find((p) => positions.get(p.pod_id) === Math.floor(n / POD_ID_STRIDE));
  if (!pod || n % POD_ID_STRIDE === 0) throw notFound(kind.missing(id));
  return { pod, localId: String(n % POD_ID_STRIDE) };
}

/** The pod's answer with ids and zones shown as the gateway's lists show them. */
export async function forwardTo(deps: ComputeDeps, c: Context<ComputeEnv>, pod: Pod, path: string, body?: string): Promise<Response> {
  const pos = (await podPositions(deps)).get(pod.pod_id) ?? 0;
  const inner = await innerZones(deps);
  const res = await callPod(deps.proxy, c, { pod, service: 'compute', projectId: c.get('projectId'), path: `/v2.1/${encodeURIComponent(c.get('projectId'))}${path}`, body });
  return respond(deps.proxy, c, pod, 'compute', res, (json) => {
    const root = json as Record<string, Record<string, unknown> | undefined> | null;
    const svc = root?.service;
    if (svc && typeof svc === 'object') {
      svc.id = globalId(c, pos, svc.id);
      svc.zone = topZone(pod, svc.zone, inner);
    }
    const hyp = root?.hypervisor;
    if (hyp && typeof hyp === 'object') fixHypervisor(c, hyp, pos);
    return json;
  });
}

/**
 * The pod whose services of `binary` run on `host` (asked of every pod); undefined when every pod
 * answered and none has it. A host two pods name is a 409: it cannot be told which one is meant.
 */
export async function podOfHost(deps: ComputeDeps, c: Context<ComputeEnv>, host: string, binary: string, missing: () => Error, instead: string): Promise<Pod | undefined> {
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-services`;
  const search = `?${new URLSearchParams({ host, binary })}`;
  const { answers, missing: silent } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: 'services-locate', question: () => ({ path, search }), accept: (s) => s === 200 });
  const holders = answers.filter((a) => ((a.body as { services?: unknown[] } | null)?.services ?? []).length > 0);
  if (holders.length > 1) throw conflict(`Host ${host} exists in more than one pod (${holders.map((a) => a.pod.pod_name).join(', ')}); ${instead}.`);
  if (holders.length === 0 && silent.length > 0) throw noneFound(silent, missing(), answers.length);
  return holders[0]?.pod;
}

/** Legacy service updates: the pod whose services include the body's host and binary. */
async function hostPod(deps: ComputeDeps, c: Context<ComputeEnv>, body: unknown): Promise<Pod | undefined> {
  const host = (body as { host?: unknown } | null)?.host;
  const binary = (body as { binary?: unknown } | null)?.binary;
  // A body Nova's schema refuses is the pod's to refuse, in its words: any pod will do.
  if (typeof host !== 'string' || typeof binary !== 'string') return (await deps.podDir.bottoms())[0];
  const missing = () => notFound(`Could not find binary ${binary} on host ${host}.`);
  const pod = await podOfHost(deps, c, host, binary, missing, 'update its service by id (microversion 2.53 or later)');
  if (!pod) throw missing();
  return pod;
}

export async function serviceUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-services:update', {});
  const id = c.req.param('id')!;
  const { text, json } = await peekJson(c);
  if (isSupported(c.get('apiVersion'), '2.53')) {
    const { pod, localId } = await locate(deps, c, SERVICES, id);
    return forwardTo(deps, c, pod, `/os-services/${encodeURIComponent(localId)}`, text);
  }
  const pod = await hostPod(deps, c, json);
  if (!pod) throw notFound(NOT_FOUND);
  return forwardTo(deps, c, pod, `/os-services/${encodeURIComponent(id)}`, text);
}

export async function serviceDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-services:delete', {});
  const { pod, localId } = await locate(deps, c, SERVICES, c.req.param('id')!);
  return forwardTo(deps, c, pod, `/os-services/${encodeURIComponent(localId)}`);
}

function hypervisorRule(sub: string): ComputeRule {
  return sub === '/uptime' ? 'os_compute_api:os-hypervisors:uptime' : 'os_compute_api:os-hypervisors:show';
}

/** `GET /os-hypervisors/{id}` and `/{id}/uptime` (the latter below 2.88, as Nova serves it). */
export async function hypervisorById(deps: ComputeDeps, c: Context<ComputeEnv>, sub: '' | '/uptime'): Promise<Response> {
  can(deps.policy, c.get('auth'), hypervisorRule(sub), {});
  if (sub === '/uptime' && isSupported(c.get('apiVersion'), '2.88')) throw notFound(NOT_FOUND);
  const { pod, localId } = await locate(deps, c, HYPERVISORS, c.req.param('id')!);
  return forwardTo(deps, c, pod, `/os-hypervisors/${encodeURIComponent(localId)}${sub}`);
}

/** `GET /os-hypervisors/{pattern}/search` and `/{pattern}/servers`: below 2.53 only. */
export async function hypervisorSearch(deps: ComputeDeps, c: Context<ComputeEnv>, what: 'search' | 'servers'): Promise<Response> {
  can(deps.policy, c.get('auth'), what === 'search' ? 'os_compute_api:os-hypervisors:search' : 'os_compute_api:os-hypervisors:servers', {});
  if (isSupported(c.get('apiVersion'), '2.53')) throw notFound(NOT_FOUND);
  const pattern = c.req.param('id')!;
  return gather(deps, c, `/os-hypervisors/${encodeURIComponent(pattern)}/${what}`, 'hypervisors', (h, _pod, pos) => fixHypervisor(c, h, pos), `No hypervisor matching '${pattern}' could be found.`);
}

/** The fields of Nova's statistics (compute_node_statistics), all 0 with no pod. */
const STATISTICS = ['count', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least'];

/** `GET /os-hypervisors/statistics` (below 2.88): every pod's numbers summed. */
export async function hypervisorStatistics(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hypervisors:statistics', {});
  if (isSupported(c.get('apiVersion'), '2.88')) throw notFound(NOT_FOUND);
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-hypervisors/statistics`;
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: 'hypervisor-statistics', question: () => ({ path }), accept: (s) => s === 200 });
  const sum: Record<string, number> = Object.fromEntries(STATISTICS.map((k) => [k, 0]));
  for (const a of answers) {
    const stats = (a.body as { hypervisor_statistics?: Record<string, unknown> } | null)?.hypervisor_statistics ?? {};
    for (const [k, v] of Object.entries(stats)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
  }
  return c.json({ hypervisor_statistics: sum });
}
