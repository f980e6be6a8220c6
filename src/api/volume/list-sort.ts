/**
 * Cinder's sort dialect for volumes, snapshots and backups: `sort=k:d,…` or the legacy single
 * `sort_key`/`sort_dir`, completed to a total order the way Cinder's database layer does.
 */
import { badRequest } from '../../http';
import type { Item, SortDialect, SortKey, SortValue } from '../../fanout';
import { CINDER_QUERY, sortDirection } from '../common';

/** Cinder sort keys whose body field has another name. A Map: sort keys come from the caller. */
const CINDER_FIELDS: ReadonlyMap<string, string> = new Map([
  ['display_name', 'name'],
  ['display_description', 'description'],
]);
const CINDER_DEFAULTS = ['created_at', 'id'];
/**
 * Columns Cinder sorts by whose values the answers do not show under that name (admin-only
 * `os-vol-host-attr:host`, `os-vol-tenant-attr:tenant_id`, ...; `volume_type` shows the type's
 * name while a pod sorts by what it stores): the gateway merges on the values it reads, so these
 * are dropped from the plan, as for Nova — the walk stays total and every item is seen once.
 */
const CINDER_NOT_SHOWN = new Set([
  'host', 'project_id', 'user_id', 'attach_status', 'migration_status', 'replication_status', 'volume_type', 'volume_type_id',
  'cluster_name', 'service_uuid', 'group_id', 'consistencygroup_id', 'provider_location', 'progress',
]);

/**
 * The caller's own sort keys in Cinder's spelling (cinder/api/common.py get_sort_params):
 * `sort=k1:d1,k2` or the legacy `sort_key`/`sort_dir` pair (whose key defaults to `created_at`),
 * never both; a missing direction is `desc`. Empty when the request does not sort.
 */
export function cinderSortKeys(params: URLSearchParams): SortKey[] {
  if (params.has('sort') && (params.has('sort_key') || params.has('sort_dir'))) {
    throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
  }
  const keys: SortKey[] = [];
  if (params.has('sort')) {
    for (const part of (params.get('sort') ?? '').split(',')) {
      const [key = '', dir] = part.split(':', 2);
      if (key.trim() === '') continue;
      keys.push({ key: key.trim(), dir: sortDirection(dir?.trim() || 'desc', CINDER_QUERY) });
    }
  } else if (params.has('sort_key') || params.has('sort_dir')) {
    keys.push({ key: (params.get('sort_key') ?? 'created_at').trim(), dir: sortDirection((params.get('sort_dir') ?? 'desc').trim(), CINDER_QUERY) });
  }
  return keys;
}

/**
 * Cinder: the caller's keys (default `created_at desc`), then `created_at` and `id` appended
 * with the first direction (cinder.db.api.process_sort_params). Cinder's `id` is the routed
 * uuid, so the pods' own tie-breaker is already global.
 */
export function cinderSort(): SortDialect {
  return {
    params: ['sort', 'sort_key', 'sort_dir'],
    plan(params) {
      const asked = cinderSortKeys(params);
      const keys = asked.filter((k) => !CINDER_NOT_SHOWN.has(k.key));
      // The first direction given still leads the appended keys, as process_sort_params does.
      if (keys.length === 0) keys.push({ key: 'created_at', dir: asked[0]?.dir ?? 'desc' });
      const first = keys[0]!.dir;
      for (const k of CINDER_DEFAULTS) if (!keys.some((x) => x.key === k)) keys.push({ key: k, dir: first });
      return keys;
    },
    toQuery(plan) {
      return [['sort', plan.map((k) => `${k.key}:${k.dir}`).join(',')]];
    },
    value(item: Item, key: string): SortValue | undefined {
      const field = CINDER_FIELDS.get(key) ?? key;
      return Object.hasOwn(item, field) ? (item[field] as SortValue) : undefined;
    },
  };
}
