// GET /servers and /servers/detail: Nova's filters, tenant scoping, sorting and marker
// paging. Default order is created_at desc then Nova's internal integer id desc (creation
// order), so equal timestamps still list newest first, as on a real Nova.
import { badRequest, forbidden, isAdmin, since, type NovaContext } from './context';
import { computeHostZone, type NovaDeps } from './deps';
import { collectionLinks, limitAndMarker } from './links';
import { basicServer, fixedIp, showServer } from './server-view';
import { matchesStatusFilter, statesFromStatuses } from './states';
import type { SimServer } from './state';

type Getter = (s: SimServer, az: string) => string | number | null;

/** Sort keys Nova's schema accepts (VALID_SORT_KEYS), mapped onto the sim's fields. */
const SORT_KEYS: Record<string, Getter> = {
  access_ip_v4: (s) => s.accessIPv4, access_ip_v6: (s) => s.accessIPv6,
  availability_zone: (_s, az) => az, config_drive: (s) => s.configDrive, created_at: (s) => s.createdAt,
  display_description: (s) => s.description, display_name: (s) => s.name, host: (s) => s.host,
  hostname: (s) => s.hostname, image_ref: (s) => s.imageId, instance_type_id: (s) => Number(s.flavor.id) || 0,
  kernel_id: () => '', key_name: (s) => s.keyName, launch_index: (s) => s.launchIndex,
  launched_at: (s) => s.launchedAt, locked_by: (s) => s.lockedBy, node: (s) => s.node,
  power_state: (s) => s.powerState, progress: () => 0, project_id: (s) => s.projectId,
  ramdisk_id: () => '', root_device_name: () => '/dev/vda', task_state: (s) => s.taskState,
  terminated_at: () => null, updated_at: (s) => s.updatedAt, user_id: (s) => s.userId,
  uuid: (s) => s.id, vm_mode: () => null, vm_state: (s) => s.vmState, id: (s) => s.seq,
  locked: (s) => (s.lockedBy !== null ? 1 : 0),
};
const ADMIN_SORT_KEYS = new Set(['host', 'node']);

/** Query parameters Nova's 2.75+ schema knows (anything else is 400 from 2.75). */
const KNOWN_PARAMS = new Set([
  'user_id', 'project_id', 'tenant_id', 'launch_index', 'image_ref', 'image', 'kernel_id', 'ramdisk_id',
  'hostname', 'key_name', 'power_state', 'vm_state', 'task_state', 'host', 'node', 'flavor',
  'reservation_id', 'launched_at', 'terminated_at', 'availability_zone', 'name', 'display_name',
  'description', 'display_description', 'locked_by', 'uuid', 'root_device_name', 'config_drive',
  'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'progress', 'sort_key', 'sort_dir', 'all_tenants',
  'soft_deleted', 'deleted', 'status', 'changes-since', 'changes-before', 'ip', 'ip6', 'created_at',
  'block_device_mapping', 'services', 'metadata', 'info_cache', 'security_groups', 'pci_devices',
  'tags', 'tags-any', 'not-tags', 'not-tags-any', 'locked', 'limit', 'marker',
]);

function boolParam(v: string, name: string): boolean {
  const t = v.trim().toLowerCase();
  if (['', '1', 't', 'true', 'on', 'y', 'yes'].includes(t)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(t)) return false;
  throw badRequest(`Invalid input for query parameters ${name}. Value: ${v}. '${v}' is not a 'boolean'`);
}

/** ISO 8601 as oslo's parse_isotime reads it; JS Date.parse alone also takes '2011/01/01'. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

function dateParam(v: string, name: string): number {
  const t = ISO_DATE_TIME.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw badRequest(`Invalid input for query parameters ${name}. Value: ${v}. '${v}' is not a 'date-time'`);
  return t;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1; // NULLs first ascending, like MySQL
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Build the comparator of sort_key/sort_dir params plus Nova's created_at, id tie-breakers. */
function sorter(c: NovaContext, params: URLSearchParams, az: string): (a: SimServer, b: SimServer) => number {
  const keys = params.getAll('sort_key').map((k) => k.trim());
  const dirs = params.getAll('sort_dir').map((d) => d.trim());
  // 'locked' became a valid sort key at 2.73 (schemas/servers.py VALID_SORT_KEYS_V273).
  const valid = (k: string) => Object.hasOwn(SORT_KEYS, k) && k !== 'id' && (k !== 'locked' || since(c, '2.73'));
  for (const k of keys) {
    if (!valid(k)) {
      throw badRequest(`Invalid input for query parameters sort_key. Value: ${k}. '${k}' is not one of ${JSON.stringify(Object.keys(SORT_KEYS).filter(valid))}`);
    }
    if (ADMIN_SORT_KEYS.has(k) && !isAdmin(c)) throw forbidden(`Only administrators can sort servers by ${k}`);
  }
  for (const d of dirs) {
    if (d !== 'asc' && d !== 'desc') throw badRequest(`Invalid input for query parameters sort_dir. Value: ${d}. '${d}' is not one of ['asc', 'desc']`);
  }
  if (keys.length === 0) keys.push('created_at');
  if (dirs.length === 0) dirs.push('desc');
  if (dirs.length > keys.length) throw badRequest('Sort direction size exceeds sort key size');
  while (dirs.length < keys.length) dirs.push(dirs[0]);
  for (const k of ['created_at', 'id']) {
    if (!keys.includes(k)) {
      keys.push(k);
      dirs.push(dirs[0]);
    }
  }
  const plan = keys.map((k, i) => ({ get: SORT_KEYS[k], sign: dirs[i] === 'desc' ? -1 : 1 }));
  return (a, b) => {
    for (const p of plan) {
      const r = compare(p.get(a, az), p.get(b, az));
      if (r !== 0) return r * p.sign;
    }
    return 0;
  };
}

/** Handle GET /servers (detail=false) and /servers/detail. */
export function listServers(c: NovaContext, deps: NovaDeps, detail: boolean): Response {
  const params = new URL(c.req.url).searchParams;
  const admin = isAdmin(c);
  if (since(c, '2.75')) {
    const unknown = [...new Set(params.keys())].filter((k) => !KNOWN_PARAMS.has(k));
    if (unknown.length > 0) {
      throw badRequest(`Invalid input for query parameters ${unknown[0]}. Value: ${params.get(unknown[0])}. Additional properties are not allowed ('${unknown[0]}' was unexpected)`);
    }
  }
  const az = computeHostZone(deps);
  const allTenants = params.has('all_tenants') ? boolParam(params.get('all_tenants') ?? '', 'all_tenants') : false;
  if (allTenants && !admin) {
    throw forbidden(`Policy doesn't allow os_compute_api:servers:${detail ? 'detail' : 'index'}:get_all_tenants to be performed.`);
  }
  const who = c.get('identity');
  const filters: ((s: SimServer) => boolean)[] = [];
  if (allTenants) {
    const tenant = params.get('tenant_id') ?? params.get('project_id');
    if (tenant !== null) filters.push((s) => s.projectId === tenant);
  } else {
    filters.push((s) => s.projectId === who.projectId);
  }
  const name = params.get('name');
  if (name !== null) {
    let re: RegExp;
    try {
      re = new RegExp(name);
    } catch {
      re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
    filters.push((s) => re.test(s.name));
  }
  if (params.has('status')) {
    const f = statesFromStatuses(params.getAll('status'));
    if (f.vmStates.size === 0) {
      if (since(c, '2.38')) throw badRequest('Invalid status value');
      return c.json({ servers: [] });
    }
    filters.push((s) => matchesStatusFilter(s.vmState, s.taskState, f));
  }
  const ip = params.get('ip');
  if (ip !== null) {
    let re: RegExp;
    try {
      re = new RegExp(ip);
    } catch {
      throw badRequest(`Invalid input for query parameters ip. Value: ${ip}.`);
    }
    filters.push((s) => s.vmState !== 'building' && re.test(fixedIp(s)));
  }
  const azFilter = params.get('availability_zone');
  if (azFilter !== null && (admin || since(c, '2.83'))) filters.push((s) => azFilter === (s.requestedAz ?? az));
  const simple: [string, (s: SimServer) => string | null][] = [
    ['image', (s) => s.imageId], ['flavor', (s) => s.flavor.id], ['reservation_id', (s) => s.reservationId],
  ];
  if (admin || since(c, '2.83')) simple.push(['key_name', (s) => s.keyName], ['user_id', (s) => s.userId], ['vm_state', (s) => s.vmState]);
  if (admin) simple.push(['host', (s) => s.host], ['uuid', (s) => s.id]);
  for (const [k, get] of simple) {
    const want = params.get(k);
    if (want !== null) filters.push((s) => get(s) === want);
  }
  if (since(c, '2.73') && params.has('locked')) {
    const locked = boolParam(params.get('locked') ?? '', 'locked');
    filters.push((s) => (s.lockedBy !== null) === locked);
  }
  if (since(c, '2.26')) addTagFilters(params, filters);

  let pool = [...deps.state.servers.values()];
  const changesSince = params.get('changes-since');
  if (changesSince !== null) {
    const t = dateParam(changesSince, 'changes-since');
    filters.push((s) => Date.parse(s.updatedAt) >= t);
    pool = pool.concat(deps.state.deleted.map((d) => d.server));
  }
  const cmp = sorter(c, params, az);
  const { limit, marker } = limitAndMarker(c, badRequest);
  let rows = pool.filter((s) => filters.every((f) => f(s))).sort(cmp);
  if (marker !== undefined) {
    const m = [...deps.state.servers.values()].find((s) => s.id === marker && (admin || s.projectId === who.projectId));
    if (!m) throw badRequest(`marker [${marker}] not found`);
    rows = rows.filter((s) => cmp(s, m) > 0);
  }
  rows = rows.slice(0, limit);
  const servers = rows.map((s) => (detail ? showServer(c, s) : basicServer(c, s)));
  const links = collectionLinks(c, detail ? 'servers/detail' : 'servers', rows.length, rows.at(-1)?.id);
  return c.json(links.length > 0 ? { servers, servers_links: links } : { servers });
}

function addTagFilters(params: URLSearchParams, filters: ((s: SimServer) => boolean)[]): void {
  const split = (k: string) => (params.get(k) ?? '').split(',').filter((t) => t !== '');
  if (params.has('tags')) filters.push((s) => split('tags').every((t) => s.tags.includes(t)));
  if (params.has('tags-any')) filters.push((s) => split('tags-any').some((t) => s.tags.includes(t)));
  if (params.has('not-tags')) filters.push((s) => !split('not-tags').every((t) => s.tags.includes(t)));
  if (params.has('not-tags-any')) filters.push((s) => !split('not-tags-any').some((t) => s.tags.includes(t)));
}
