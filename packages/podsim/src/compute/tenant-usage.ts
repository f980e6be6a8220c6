// /os-simple-tenant-usage index (admin) and show (admin or owner), as Nova's
// simple_tenant_usage.py computes them: the instances active in the window (launched before its
// end, not terminated before its start, deleted ones included), ordered by (project_id, uuid),
// paged from 2.40 with limit/marker (marker: an instance uuid, also of a deleted one) and a
// `tenant_usage[s]_links` next link when the page is full; the window's end is capped at now.
import { badRequest, requireAdmin, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { naiveMicros, type SimServer } from './state';

const MAX_LIMIT = 1000;
const TRUTHY_DETAIL = '1';

/** Nova's _parse_datetime: three naive formats, UTC; empty means now. */
function parseWhen(raw: string | undefined): Date {
  if (raw === undefined || raw === '') return new Date();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,6})?$/.exec(raw);
  // "%Y-%m-%d %H:%M:%S" without a fraction is not one of the formats.
  if (!m || (raw[10] === ' ' && !m[3])) throw badRequest('Invalid datetime string: Datetime is in invalid format');
  const d = new Date(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}Z`);
  if (Number.isNaN(d.getTime())) throw badRequest('Invalid datetime string: Datetime is in invalid format');
  return d;
}

const naive = (s: string | null) => (s === null ? null : new Date(s.endsWith('Z') ? s : `${s}Z`));

interface Window {
  start: Date;
  stop: Date;
}

function windowOf(c: NovaContext): Window {
  const start = parseWhen(c.req.query('start'));
  let stop = parseWhen(c.req.query('end'));
  if (!(start < stop)) throw badRequest('Invalid start time. The start time cannot occur after the end time.');
  const now = new Date();
  if (stop > now) stop = now;
  return { start, stop };
}

function checkQuery(c: NovaContext, allowed: string[]): void {
  if (!since(c, '2.75')) return;
  for (const k of Object.keys(c.req.queries())) {
    if (!allowed.includes(k)) throw badRequest(`Invalid input for query parameters ${k}. Additional properties are not allowed ('${k}' was unexpected)`);
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Nova's order for usage: paginate_query on (project_id, uuid), ascending. */
const byProjectUuid = (a: SimServer, b: SimServer) => cmp(a.projectId, b.projectId) || cmp(a.id, b.id);

interface Row {
  server: SimServer;
  terminated: Date | null;
}

function rows(deps: NovaDeps, w: Window, project: string | undefined): Row[] {
  const all: Row[] = [
    ...[...deps.state.servers.values()].map((server) => ({ server, terminated: null })),
    ...deps.state.deleted.map((d) => ({ server: d.server, terminated: naive(d.deletedAt) })),
  ];
  return all
    .filter((r) => r.server.launchedAt !== null && naive(r.server.launchedAt)! < w.stop && (r.terminated === null || r.terminated > w.start))
    .filter((r) => project === undefined || r.server.projectId === project)
    .sort((a, b) => byProjectUuid(a.server, b.server));
}

function page(c: NovaContext, deps: NovaDeps, list: Row[]): { items: Row[]; limit: number } {
  let limit = MAX_LIMIT;
  let marker: string | undefined;
  if (since(c, '2.40')) {
    const l = c.req.query('limit');
    if (l !== undefined) {
      if (!/^\d+$/.test(l)) throw badRequest(`Invalid input for query parameters limit. Value: ${l}. '${l}' does not match '^[0-9]*$'`);
      limit = Math.min(Number(l), MAX_LIMIT);
    }
    marker = c.req.query('marker');
  }
  let from = 0;
  if (marker !== undefined) {
    // paginate_query turns the marker into its sort-key values, so it need not be in the window.
    const m = deps.state.servers.get(marker) ?? deps.state.deleted.find((d) => d.server.id === marker)?.server;
    if (!m) throw badRequest(`Marker ${marker} could not be found.`);
    const at = list.findIndex((r) => byProjectUuid(r.server, m) > 0);
    from = at === -1 ? list.length : at;
  }
  return { items: list.slice(from, from + limit), limit };
}

function serverUsage(r: Row, w: Window): Record<string, unknown> {
  const s = r.server;
  const launched = naive(s.launchedAt)!;
  const begin = launched > w.start ? launched : w.start;
  const end = r.terminated && r.terminated < w.stop ? r.terminated : w.stop;
  const hours = Math.max(0, (end.getTime() - begin.getTime()) / 3_600_000);
  const ended = r.terminated;
  const uptime = Math.floor(((ended ?? new Date()).getTime() - launched.getTime()) / 1000);
  return {
    hours, flavor: s.flavor.name, instance_id: s.id, name: s.name, tenant_id: s.projectId,
    memory_mb: s.flavor.ram, local_gb: s.flavor.disk + s.flavor.ephemeral, vcpus: s.flavor.vcpus,
    started_at: s.launchedAt, ended_at: ended ? naiveMicros(ended) : null, state: ended ? 'terminated' : s.vmState, uptime,
  };
}

function summarize(usages: Record<string, unknown>[], w: Window, detailed: boolean): Record<string, unknown>[] {
  const byTenant = new Map<string, Record<string, unknown>>();
  for (const u of usages) {
    const t = u.tenant_id as string;
    let sum = byTenant.get(t);
    if (!sum) {
      sum = { tenant_id: t, ...(detailed ? { server_usages: [] } : {}), total_local_gb_usage: 0, total_vcpus_usage: 0, total_memory_mb_usage: 0, total_hours: 0, start: naiveMicros(w.start), stop: naiveMicros(w.stop) };
      byTenant.set(t, sum);
    }
    const h = u.hours as number;
    sum.total_local_gb_usage = (sum.total_local_gb_usage as number) + (u.local_gb as number) * h;
    sum.total_vcpus_usage = (sum.total_vcpus_usage as number) + (u.vcpus as number) * h;
    sum.total_memory_mb_usage = (sum.total_memory_mb_usage as number) + (u.memory_mb as number) * h;
    sum.total_hours = (sum.total_hours as number) + h;
    if (detailed) (sum.server_usages as unknown[]).push(u);
  }
  return [...byTenant.values()];
}

function nextLink(c: NovaContext, path: string, lastId: string): { rel: string; href: string }[] {
  const url = new URL(c.req.url);
  const params = new URLSearchParams([...url.searchParams.entries()].filter(([k]) => k !== 'marker').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  params.set('marker', lastId);
  const project = c.get('urlProjectId');
  const base = url.pathname.slice(0, url.pathname.indexOf('/v2.1') + '/v2.1'.length);
  return [{ rel: 'next', href: `${url.origin}${base}${project ? `/${project}` : ''}/${path}?${params}` }];
}

export function registerTenantUsage(api: NovaApi, deps: NovaDeps): void {
  api.get('/os-simple-tenant-usage', (c) => {
    requireAdmin(c, 'os_compute_api:os-simple-tenant-usage:list');
    checkQuery(c, ['start', 'end', 'detailed', 'limit', 'marker']);
    const w = windowOf(c);
    const detailed = c.req.query('detailed') === TRUTHY_DETAIL;
    const { items, limit } = page(c, deps, rows(deps, w, undefined));
    const usages = items.map((r) => serverUsage(r, w));
    const body: Record<string, unknown> = { tenant_usages: summarize(usages, w, detailed) };
    if (since(c, '2.40') && usages.length === limit && limit > 0) body.tenant_usages_links = nextLink(c, 'os-simple-tenant-usage', usages.at(-1)!.instance_id as string);
    return c.json(body);
  });
  api.get('/os-simple-tenant-usage/:tenant', (c) => {
    const tenant = c.req.param('tenant');
    if (tenant !== c.get('identity').projectId) requireAdmin(c, 'os_compute_api:os-simple-tenant-usage:show');
    checkQuery(c, ['start', 'end', 'limit', 'marker']);
    const w = windowOf(c);
    const { items, limit } = page(c, deps, rows(deps, w, tenant));
    const usages = items.map((r) => serverUsage(r, w));
    const body: Record<string, unknown> = { tenant_usage: summarize(usages, w, true)[0] ?? {} };
    if (since(c, '2.40') && usages.length === limit && limit > 0) body.tenant_usage_links = nextLink(c, `os-simple-tenant-usage/${encodeURIComponent(tenant)}`, usages.at(-1)!.instance_id as string);
    return c.json(body);
  });
}
