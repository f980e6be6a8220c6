/**
 * `GET /servers` and `/servers/detail`: the generic fan-out (src/fanout) with Nova's specifics —
 * sort_key/sort_dir with the `uuid` tie-breaker, the index view, the top AZ, and the 2.69
 * minimal records (status UNKNOWN) for a pod that does not answer, exactly where Nova gives them.
 */
import type { Context } from 'hono';
import { fanoutList, PAGING_SORTING_PARAMS, type FanoutSpec, type Item } from '../../fanout';
import { FANOUT_LIMIT } from '../common';
import { novaSort } from './server-sort';
import type { Routing } from '../../store';
import type { InnerZones } from '../../proxy';
import { innerZones } from './aggregate-zones';
import { badRequest, isSupported, publicBase, type Version } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';

/** Filters a non-admin may use, by microversion (servers.py `_get_server_search_options`). */
const NON_ADMIN_FILTERS: [since: string, names: string[]][] = [
  ['2.1', ['reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since', 'all_tenants']],
  ['2.5', ['ip6']],
  ['2.26', ['tags', 'tags-any', 'not-tags', 'not-tags-any']],
  ['2.66', ['changes-before']],
  ['2.73', ['locked']],
  ['2.83', ['availability_zone', 'config_drive', 'key_name', 'created_at', 'launched_at', 'terminated_at', 'power_state', 'task_state', 'vm_state', 'progress', 'user_id']],
  ['2.90', ['hostname']],
];

/**
 * Nova's `_is_cell_down_supported`: from 2.69, unless the request pages or sorts, or filters on
 * anything but all_tenants (counting only the filters the caller may use: Nova drops the others
 * silently before it looks).
 */
export function minimalRecordsAllowed(version: Version, isAdmin: boolean, params: URLSearchParams): boolean {
  if (!isSupported(version, '2.69')) return false;
  const keys = [...new Set(params.keys())];
  if (keys.some((k) => PAGING_SORTING_PARAMS.includes(k))) return false;
  const usable = isAdmin ? keys : keys.filter((k) => NON_ADMIN_FILTERS.some(([v, names]) => isSupported(version, v) && names.includes(k)));
  return usable.every((k) => k === 'all_tenants');
}

/**
 * `/v2.1/{project}`: the prefix of pod paths and links. The project is always spelled out, even
 * when the caller used the project-less form, because every Nova accepts that form whatever the
 * token (the same rule `callPod` applies to pass-through paths).
 */
function apiPrefix(projectId: string): string {
  return `/v2.1/${encodeURIComponent(projectId)}`;
}

function links(base: string, prefix: string, id: string) {
  return [
    { rel: 'self', href: `${base}${prefix}/servers/${id}` },
    { rel: 'bookmark', href: `${base}${prefix.replace(/^\/v2\.1/, '')}/servers/${id}` },
  ];
}

/** The servers list spec for one request. */
export function serverListSpec(deps: ComputeDeps, c: Context<ComputeEnv>, detail: boolean, inner: InnerZones): FanoutSpec {
  const prefix = apiPrefix(c.get('projectId'));
  const version = c.get('apiVersion');
  const auth = c.get('auth');
  return {
    collection: 'servers',
    member: 'server',
    resourceType: 'server',
    service: 'compute',
    detail,
    podListPath: `${prefix}/servers/detail`,
    podShowPath: (id) => `${prefix}/servers/${encodeURIComponent(id)}`,
    sort: novaSort({ version, isAdmin: auth.isAdmin }),
    limit: FANOUT_LIMIT,
    // Pods are asked for detail (the sort values live there); the index view is cut from it.
    view: detail ? undefined : (s: Item): Item => ({ id: s.id, name: s.name, links: s.links }),
    az: { param: 'availability_zone', field: 'OS-EXT-AZ:availability_zone', inner },
    downRecords: {
      allowed: (_c, params) => minimalRecordsAllowed(version, auth.isAdmin, params),
      // views/servers.py: basic() and _show_from_down_cell() for a listed instance.
      build(r: Routing, rc, isDetail): Item {
        const l = links(publicBase(rc, deps.publicUrl), prefix, r.top_id);
        if (!isDetail) return { id: r.top_id, status: 'UNKNOWN', links: l };
        return { id: r.top_id, status: 'UNKNOWN', tenant_id: r.project_id, created: r.created_at, links: l };
      },
    },
    markerNotFound: (marker) => badRequest(`marker [${marker}] not found`),
  };
}

export async function listServers(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const detail = /\/(servers|os-volumes_boot)\/detail\/?$/.test(c.req.path);
  return fanoutList(deps, c, serverListSpec(deps, c, detail, await innerZones(deps)));
}
