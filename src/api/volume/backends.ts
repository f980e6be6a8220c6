/**
 * The pods' storage backends as an admin sees them (Cinder's admin-only families; every rule is
 * `rule:admin_api` in Cinder, and a member gets Cinder's 403 before any pod is asked):
 * - fanned out and concatenated, each pod's zone shown as its top AZ: `os-services`, `os-hosts`,
 *   `scheduler-stats/get_pools`, `clusters[/detail]` (3.7), `workers/cleanup` (3.24);
 * - routed by host to the one pod whose services name it: `os-services/{enable,disable,
 *   disable-log-reason,freeze,thaw,failover_host,failover}`, `os-hosts/{host}`,
 *   `capabilities/{host}`, `manageable_volumes` and `manageable_snapshots` (3.8, `?host=`),
 *   `os-volume-manage` (the volume it makes is routed to that pod, in the caller's project);
 * - `os-snapshot-manage` goes to the pod of the volume it names, and routes the snapshot;
 * - routed by cluster name to the one pod that has it: `clusters/{name}`, `clusters/{enable,disable}`;
 * - answered once for all pods: `resource_filters` (3.33) and `extensions` list only what EVERY
 *   answering pod offers, since a filter or extension one pod lacks does not work gateway-wide.
 * Host names are the pods' own (`host@backend#pool`); they must differ between pods (they do
 * when each pod runs on its own machines). A host two pods both name is a 409 naming them, never a
 * guess. Paging parameters go to every pod; each pod's page is concatenated.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import { askPods, type AskResult, type PodAnswer } from '../../fanout';
import { noneFound, podItems } from '../common';
import { ApiError, badRequest, isSupported, notFound, readJson, type GatewayEnv } from '../../http';
import { callPod, respond } from '../../proxy';
import type { Pod } from '../../store';
import { azForPod, volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { NOT_SERVED } from './merged-list';
import type { VolumeRule } from './policy-rules';
import { createInPod, podOf } from './same-pod';
import { typeForPod } from './type-ids';

type Fix = (item: Record<string, unknown>, pod: Pod) => void;

const topZone: Fix = (item, pod) => {
  if (typeof item.zone === 'string') item.zone = pod.az_name;
};

const projectPath = (c: Context<GatewayEnv>, below: string) => `/v3/${encodeURIComponent(c.get('projectId'))}${below}`;

/** The request's path below `/v3/{project}`. */
function below(c: Context<GatewayEnv>): string {
  const path = new URL(c.req.url).pathname;
  const p = c.req.param('project_id');
  const at = p === undefined ? path.indexOf('/v3') + 3 : path.indexOf(`/${p}`, path.indexOf('/v3')) + p.length + 1;
  return path.slice(at);
}

function gate(c: Context<GatewayEnv>, since: string | undefined): void {
  if (since && !isSupported(c.get('apiVersion'), since)) throw notFound(NOT_SERVED);
}

async function askAll(deps: VolumeDeps, c: Context<GatewayEnv>, name: string, o: { method?: string; path?: string; body?: string | null } = {}): Promise<PodAnswer[]> {
  return (await askEvery(deps, c, name, o)).answers;
}

/** Every pod asked; the pods that failed are named in `missing`. */
async function askEvery(deps: VolumeDeps, c: Context<GatewayEnv>, name: string, o: { method?: string; path?: string; body?: string | null }): Promise<AskResult> {
  const pods = await deps.podDir.bottoms();
  const path = projectPath(c, o.path ?? below(c));
  const search = o.path ? '' : new URL(c.req.url).search;
  return askPods(deps, c, pods, { service: 'volumev3', name, question: () => ({ method: o.method, path, search, body: o.body }), accept: (s) => s >= 200 && s < 300 });
}

/** One list key of every pod's answer, concatenated in pod order. */
function concat(answers: PodAnswer[], key: string, fix?: Fix): Record<string, unknown>[] {
  return answers.flatMap((a) => podItems(a.body, key).map((item) => (fix?.(item, a.pod), item)));
}

/** A fanned-out admin listing: `key` of every pod, concatenated. */
function listing(rule: VolumeRule, key: string, o: { since?: string; fix?: Fix } = {}) {
  return async function adminListing(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
    gate(c, o.since);
    authorize(deps.policy, c.get('auth'), rule);
    return c.json({ [key]: concat(await askAll(deps, c, key), key, o.fix) });
  };
}

export const listServices = listing('volume_extension:services:index', 'services', { fix: topZone });
export const listHosts = listing('volume_extension:hosts', 'hosts', { fix: topZone });
export const listPools = listing('scheduler_extension:scheduler_stats:get_pools', 'pools');
export const listClusters = listing('clusters:get_all', 'clusters', { since: '3.7' });

/** Whether a pod's service host names `host` ('host', 'host@backend' or 'host@backend#pool'). */
function names(serviceHost: string, host: string): boolean {
  const bare = host.split('#')[0]!;
  return serviceHost === bare || serviceHost.split('@')[0] === bare;
}

/**
 * The one pod whose services name `host`, asked with the caller's (admin) token; undefined when
 * none does. Two pods naming it is a 409: the gateway never guesses which backend was meant.
 */
async function podOfHost(deps: VolumeDeps, c: Context<GatewayEnv>, host: string, unknown: Error): Promise<Pod> {
  const { answers, missing } = await askEvery(deps, c, 'host-lookup', { method: 'GET', path: '/os-services' });
  const pods = answers.filter((a) => concat([a], 'services').some((s) => typeof s.host === 'string' && names(s.host, host))).map((a) => a.pod);
  if (pods.length > 1) throw new ApiError(409, `Host ${host} is named by several pods (${pods.map((p) => p.pod_name).join(', ')}); hosts must differ between pods.`);
  if (!pods[0]) throw noneFound(missing, unknown, answers.length);
  return pods[0];
}

async function forwardTo(deps: VolumeDeps, c: Context<GatewayEnv>, pod: Pod, body?: string, transform?: (json: unknown) => unknown): Promise<Response> {
  const res = await callPod(deps.proxy, c, { pod, service: 'volumev3', projectId: c.get('projectId'), body });
  return respond(deps.proxy, c, pod, 'volumev3', res, transform);
}

/** Cinder's answer when no pod has the host, per action (services.py, hosts.py, capabilities.py). */
const UNKNOWN_HOST: Record<string, (host: string, body: Record<string, unknown>) => ApiError> = {
  enable: (h, b) => notFound(`Could not find binary ${String(b.binary ?? b.service ?? '')} on host ${h}.`),
  disable: (h, b) => notFound(`Could not find binary ${String(b.binary ?? b.service ?? '')} on host ${h}.`),
  'disable-log-reason': (h, b) => notFound(`Could not find binary ${String(b.binary ?? b.service ?? '')} on host ${h}.`),
  freeze: (h) => badRequest(`Invalid input received: Service ${h} could not be found.`),
  thaw: (h) => badRequest(`Invalid input received: Service ${h} could not be found.`),
  failover_host: (h) => badRequest(`Invalid input received: Service ${h} could not be found.`),
  failover: (h) => badRequest(`Invalid input received: Service ${h} could not be found.`),
};

function objectBody(json: unknown): Record<string, unknown> {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw badRequest('Malformed request body');
  return json as Record<string, unknown>;
}

/** `PUT /os-services/{action}`: by host to its pod; get-log and set-log to every pod. */
export async function serviceAction(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:services:update');
  const action = c.req.param('action')!;
  const text = JSON.stringify(await readJson(c));
  const body = objectBody(JSON.parse(text));
  if (action === 'get-log' || action === 'set-log') {
    gate(c, '3.32');
    const answers = await askAll(deps, c, `os-services-${action}`, { method: 'PUT', body: text });
    return action === 'get-log' ? c.json({ log_levels: concat(answers, 'log_levels') }) : c.body(null, 202);
  }
  const unknown = Object.hasOwn(UNKNOWN_HOST, action) ? UNKNOWN_HOST[action] : undefined;
  if (!unknown) throw notFound(NOT_SERVED);
  if (typeof body.host !== 'string' || body.host === '') throw badRequest('Invalid input received: Host field is missing.');
  const pod = await podOfHost(deps, c, body.host, unknown(body.host, body));
  return forwardTo(deps, c, pod, text);
}

/** `GET /os-hosts/{host}`, `GET /capabilities/{host}`: to the pod of the host. */
export function byHostParam(rule: VolumeRule, missing: (host: string) => string) {
  return async function hostRouted(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
    authorize(deps.policy, c.get('auth'), rule);
    const host = c.req.param('host')!;
    const pod = await podOfHost(deps, c, host, notFound(missing(host)));
    return forwardTo(deps, c, pod);
  };
}

export const showHost = byHostParam('volume_extension:hosts', (h) => `Host ${h} could not be found.`);
export const showCapabilities = byHostParam('volume_extension:capabilities', (h) => `Service ${h} could not be found.`);

/** `manageable_volumes[/detail]`, `manageable_snapshots[/detail]` (3.8): to the pod of `?host=`. */
export function manageable(rule: VolumeRule) {
  return async function manageableList(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
    gate(c, '3.8');
    authorize(deps.policy, c.get('auth'), rule);
    const host = c.req.query('host');
    const cluster = c.req.query('cluster');
    // cinder/api/common.py get_cluster_host: clusters may be named from 3.16.
    const clustered = isSupported(c.get('apiVersion'), '3.16');
    if (clustered ? Boolean(host) === Boolean(cluster) : !host) {
      throw badRequest(`Invalid input received: ${clustered ? 'One and only one of cluster and host must be set.' : 'Host field is missing.'}`);
    }
    const pod = host ? await podOfHost(deps, c, host, notFound(`Service ${host} could not be found.`)) : await podOfCluster(deps, c, cluster!, notFound(`Cluster ${cluster} could not be found.`));
    return forwardTo(deps, c, pod);
  };
}

export const manageableVolumes = manageable('volume_extension:list_manageable');
export const manageableSnapshots = manageable('snapshot_extension:list_manageable');

/**
 * `POST /os-volume-manage`: to the pod of `volume.host`, the AZ written as the pod's and a
 * gateway volume type as the pod's id; the volume the pod makes is routed to that pod in the
 * caller's project, like a create.
 */
export async function manageVolume(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:volume_manage');
  const body = objectBody(await readJson(c));
  const volume = body.volume;
  if (!volume || typeof volume !== 'object' || Array.isArray(volume)) throw badRequest("Invalid input for field/attribute volume. Value: None. 'volume' is a required property");
  const v = volume as Record<string, unknown>;
  // cinder/api/common.py get_cluster_host: a cluster may be named instead of a host from 3.16.
  const clustered = isSupported(c.get('apiVersion'), '3.16');
  const host = typeof v.host === 'string' && v.host !== '' ? v.host : undefined;
  const cluster = clustered && typeof v.cluster === 'string' && v.cluster !== '' ? v.cluster : undefined;
  if (clustered ? Boolean(host) === Boolean(cluster) : !host) {
    throw badRequest(`Invalid input received: ${clustered ? 'One and only one of cluster and host must be set.' : 'Host field is missing.'}`);
  }
  // contrib/volume_manage.py: an unknown host is ServiceUnavailable, an Invalid (400).
  const pod = host ? await podOfHost(deps, c, host, badRequest(`Host '${host}' not found`)) : await podOfCluster(deps, c, cluster!, badRequest(`Cluster '${cluster}' not found`));
  if (typeof v.availability_zone === 'string' && v.availability_zone !== '') {
    if (v.availability_zone !== pod.az_name) throw badRequest(`Host ${host ?? cluster} is not in availability zone ${v.availability_zone}.`);
    azForPod(v, pod);
  }
  if (typeof v.volume_type === 'string') v.volume_type = await typeForPod(deps, v.volume_type, pod);
  return createInPod(deps, c, { pod, type: 'volume', member: 'volume', body, name: typeof v.name === 'string' ? v.name : null, transform: volumeAzToTop(pod) });
}

/** `POST /os-snapshot-manage`: to the pod of the volume it names; the snapshot is routed there. */
export async function manageSnapshot(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'snapshot_extension:snapshot_manage');
  const body = objectBody(await readJson(c));
  const s = body.snapshot as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object' || typeof s.volume_id !== 'string') throw badRequest("Invalid input for field/attribute snapshot. Value: None. 'volume_id' is a required property");
  const pod = await podOf(deps, c, s.volume_id, 'volume');
  return createInPod(deps, c, { pod, type: 'snapshot', member: 'snapshot', body, name: typeof s.name === 'string' ? s.name : null });
}

/** The one pod that lists a cluster of this name (clusters are a pod's own). */
async function podOfCluster(deps: VolumeDeps, c: Context<GatewayEnv>, name: string, unknown: Error): Promise<Pod> {
  const { answers, missing } = await askEvery(deps, c, 'cluster-lookup', { method: 'GET', path: '/clusters' });
  const pods = answers.filter((a) => concat([a], 'clusters').some((x) => x.name === name)).map((a) => a.pod);
  if (pods.length > 1) throw new ApiError(409, `Cluster ${name} is named by several pods (${pods.map((p) => p.pod_name).join(', ')}).`);
  if (!pods[0]) throw noneFound(missing, unknown, answers.length);
  return pods[0];
}

/** `GET /clusters/{name}`, `PUT /clusters/{enable,disable}` (3.7): to the pod of the cluster. */
export async function clusterRouted(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(c, '3.7');
  const updating = c.req.method === 'PUT';
  authorize(deps.policy, c.get('auth'), updating ? 'clusters:update' : 'clusters:get');
  let text: string | undefined;
  let name = c.req.param('name');
  if (updating) {
    text = JSON.stringify(await readJson(c));
    const body = objectBody(JSON.parse(text));
    if (typeof body.name !== 'string') throw badRequest("Invalid input for field/attribute name. Value: None. 'name' is a required property");
    name = body.name;
  }
  const pod = await podOfCluster(deps, c, name!, notFound(`Cluster ${name} could not be found.`));
  return forwardTo(deps, c, pod, text);
}

/** `POST /workers/cleanup` (3.24): every pod cleans its own services; the answers are merged. */
export async function workersCleanup(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(c, '3.24');
  authorize(deps.policy, c.get('auth'), 'workers:cleanup');
  const raw = await c.req.text();
  const answers = await askAll(deps, c, 'workers-cleanup', { method: 'POST', body: raw === '' ? '{}' : raw });
  return c.json({ cleaning: concat(answers, 'cleaning'), unavailable: concat(answers, 'unavailable') }, 202);
}

/** What every answering pod offers: items of `key` whose `id` every pod listed. */
function common(answers: PodAnswer[], key: string, id: string): Record<string, unknown>[] {
  const lists = answers.map((a) => concat([a], key));
  const [first = [], ...rest] = lists;
  return first.filter((item) => rest.every((l) => l.some((x) => x[id] === item[id])));
}

/** `GET /resource_filters` (3.33): per resource, the filters every pod accepts. */
export async function resourceFilters(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  gate(c, '3.33');
  const answers = await askAll(deps, c, 'resource-filters');
  const lists = answers.map((a) => concat([a], 'resource_filters'));
  const shared = common(answers, 'resource_filters', 'resource').map((item) => {
    const filters = (item.filters as string[] | undefined) ?? [];
    const everywhere = filters.filter((f) => lists.every((l) => l.some((x) => x.resource === item.resource && ((x.filters as string[] | undefined) ?? []).includes(f))));
    return { resource: item.resource, filters: everywhere };
  });
  return c.json({ resource_filters: shared });
}

/** `GET /extensions`: the extensions every pod has loaded. */
export async function listExtensions(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  return c.json({ extensions: common(await askAll(deps, c, 'extensions'), 'extensions', 'alias') });
}
