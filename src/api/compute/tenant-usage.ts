/**
 * `/os-simple-tenant-usage` index (admin) and show (admin or owner)
 * (https://docs.openstack.org/api-ref/compute/#usage-reports-os-simple-tenant-usage), summed
 * across pods the way Nova sums them across its cells (simple_tenant_usage.py): the pods, in
 * creation order, play Nova's cells. Each pod lists the instances of the window in its
 * (project_id, uuid) order; the walk takes them pod after pod; a marker (an instance uuid, 2.40+)
 * starts after itself in the pod that has it and skips the pods before (Nova skips a cell that
 * answers MarkerNotFound), and the whole answer holds at most `limit` (`[api] max_limit` by
 * default) server usages. The tenant totals are then computed from those usages exactly as Nova
 * computes them (hours × vCPUs, RAM, local disk), so a page's totals are the page's.
 *
 * Pods are asked in parallel, at most twice: everyone from the marker, then (only when a marker
 * was found) the pods after the marker's pod from their start. Each pod answers detailed usages
 * (`detailed=1`) so the gateway has the instances to count; index drops them unless asked.
 * A pod that does not answer is named in X-Trio2o-Missing-Pods and its usage is missing.
 */
import type { Context } from 'hono';
import { askPods, missingHeader, MISSING_PODS_HEADER, tenantPodIds, type MissingPod, type PodAnswer } from '../../fanout';
import { badRequest, isSupported } from '../../http';
import type { Pod } from '../../store';
import { noneFound, podItems, queryOf } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { nextLinks, novaPage } from './links';
import { can } from './policy';

type Usage = Record<string, unknown> & { instance_id: string; tenant_id: string; hours: number };

/** Nova's accepted datetime forms (simple_tenant_usage.py `_parse_datetime`). */
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?| \d{2}:\d{2}:\d{2}\.\d{1,6})$/;

/** @param later whether this is the window's end (read after its start, as Nova reads utcnow twice) */
function when(raw: string | null, later = false): number {
  if (raw === null || raw === '') return Date.now() + (later ? 1 : 0);
  const t = DATETIME.test(raw) ? Date.parse(`${raw.replace(' ', 'T').slice(0, 23)}Z`) : NaN;
  if (Number.isNaN(t)) throw badRequest('Invalid datetime string: Datetime is in invalid format');
  return t;
}

/** The checks Nova makes before it reads any cell, so a pod's 400 can only mean the marker. */
function checkQuery(c: Context<ComputeEnv>, params: URLSearchParams, allowed: string[]): void {
  if (isSupported(c.get('apiVersion'), '2.75')) {
    for (const k of params.keys()) if (!allowed.includes(k)) throw badRequest(`Invalid input for query parameters ${k}. Additional properties are not allowed ('${k}' was unexpected)`);
  }
  if (!(when(params.get('start')) < when(params.get('end'), true))) throw badRequest('Invalid start time. The start time cannot occur after the end time.');
}

function usagesOf(a: PodAnswer, key: 'tenant_usages' | 'tenant_usage'): { usages: Usage[]; start?: unknown; stop?: unknown } {
  const body = a.body as Record<string, unknown> | null;
  const sums = key === 'tenant_usages' ? (body?.tenant_usages as Record<string, unknown>[] | undefined) : [body?.tenant_usage as Record<string, unknown>];
  const usages: Usage[] = [];
  let start: unknown;
  let stop: unknown;
  for (const s of Array.isArray(sums) ? sums : []) {
    if (!s || typeof s !== 'object') continue;
    start ??= s.start;
    stop ??= s.stop;
    usages.push(...(podItems(s, 'server_usages') as Usage[]));
  }
  return { usages, start, stop };
}

/** Nova's per-tenant summary, in first-seen order. */
function summarize(usages: Usage[], start: unknown, stop: unknown, detailed: boolean): Record<string, unknown>[] {
  const byTenant = new Map<string, Record<string, unknown> & { total_local_gb_usage: number; total_vcpus_usage: number; total_memory_mb_usage: number; total_hours: number }>();
  for (const u of usages) {
    let s = byTenant.get(u.tenant_id);
    if (!s) {
      s = { tenant_id: u.tenant_id, ...(detailed ? { server_usages: [] as Usage[] } : {}), total_local_gb_usage: 0, total_vcpus_usage: 0, total_memory_mb_usage: 0, total_hours: 0, start, stop };
      byTenant.set(u.tenant_id, s);
    }
    s.total_local_gb_usage += Number(u.local_gb) * u.hours;
    s.total_vcpus_usage += Number(u.vcpus) * u.hours;
    s.total_memory_mb_usage += Number(u.memory_mb) * u.hours;
    s.total_hours += u.hours;
    if (detailed) (s.server_usages as Usage[]).push(u);
  }
  return [...byTenant.values()];
}

interface Walk {
  usages: Usage[];
  start?: unknown;
  stop?: unknown;
}

/** The cells walk over `pods`, at most `limit` usages after `marker`. */
async function walk(deps: ComputeDeps, c: Context<ComputeEnv>, pods: Pod[], path: string, key: 'tenant_usages' | 'tenant_usage', limit: number, marker: string | undefined): Promise<Walk> {
  const params = queryOf(c);
  const search = (withMarker: boolean) => {
    const q = new URLSearchParams();
    for (const k of ['start', 'end']) if (params.has(k)) q.set(k, params.get(k)!);
    q.set('detailed', '1');
    q.set('limit', String(limit));
    if (withMarker && marker !== undefined) q.set('marker', marker);
    return `?${q}`;
  };
  const ask = (targets: Pod[], withMarker: boolean) =>
    askPods(deps, c, targets, { service: 'compute', name: 'os-simple-tenant-usage', question: () => ({ path, search: search(withMarker) }), accept: (s) => s === 200 || (withMarker && s === 400) });
  const first = await ask(pods, marker !== undefined);
  const missing: MissingPod[] = [...first.missing];
  let answers = first.answers;
  if (marker !== undefined) {
    // A pod that does not hold the marker answers 400 (MarkerNotFound); the walk starts at the one that does.
    const at = answers.findIndex((a) => a.status === 200);
    // With a pod missing, the marker may be that pod's: not knowing is its failure, not the caller's.
    if (at === -1) throw noneFound(missing, badRequest(`Marker ${marker} could not be found.`), answers.length);
    const markerPod = answers[at]!;
    const after = pods.slice(pods.findIndex((p) => p.pod_id === markerPod.pod.pod_id) + 1);
    const rest = after.length ? await ask(after, false) : { answers: [], missing: [] };
    missing.push(...rest.missing);
    answers = [markerPod, ...rest.answers];
  }
  if (missing.length) c.header(MISSING_PODS_HEADER, missingHeader(missing));
  const out: Walk = { usages: [] };
  for (const a of answers) {
    const got = usagesOf(a, key);
    out.start ??= got.start;
    out.stop ??= got.stop;
    out.usages.push(...got.usages);
  }
  out.usages = out.usages.slice(0, limit);
  return out;
}

/** limit and marker from 2.40 (Nova pages nothing below it: max_limit usages). */
function paging(deps: ComputeDeps, c: Context<ComputeEnv>) {
  const paged = isSupported(c.get('apiVersion'), '2.40');
  const page = paged ? novaPage(deps, c) : { limit: deps.maxLimit, limitGiven: false, marker: undefined };
  return { paged, page };
}

export async function tenantUsageIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-simple-tenant-usage:list', {});
  const params = queryOf(c);
  checkQuery(c, params, ['start', 'end', 'detailed', 'limit', 'marker']);
  const { paged, page } = paging(deps, c);
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && p.enabled);
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-simple-tenant-usage`;
  const w = await walk(deps, c, pods, path, 'tenant_usages', page.limit, page.marker);
  const body: Record<string, unknown> = { tenant_usages: summarize(w.usages, w.start, w.stop, params.get('detailed') === '1') };
  const links = paged ? nextLinks(deps, c, 'os-simple-tenant-usage', page, w.usages.length, w.usages.at(-1)?.instance_id) : [];
  if (links.length) body.tenant_usages_links = links;
  return c.json(body);
}

export async function tenantUsageShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const tenant = c.req.param('tenant_id')!;
  can(deps.policy, c.get('auth'), 'os_compute_api:os-simple-tenant-usage:show', { project_id: tenant });
  checkQuery(c, queryOf(c), ['start', 'end', 'limit', 'marker']);
  const { paged, page } = paging(deps, c);
  const ids = await tenantPodIds(deps.store, tenant, 'server');
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && ids.has(p.pod_id));
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-simple-tenant-usage/${encodeURIComponent(tenant)}`;
  const w = await walk(deps, c, pods, path, 'tenant_usage', page.limit, page.marker);
  const body: Record<string, unknown> = { tenant_usage: summarize(w.usages, w.start, w.stop, true)[0] ?? {} };
  const links = paged ? nextLinks(deps, c, `os-simple-tenant-usage/${encodeURIComponent(tenant)}`, page, w.usages.length, w.usages.at(-1)?.instance_id) : [];
  if (links.length) body.tenant_usage_links = links;
  return c.json(body);
}
