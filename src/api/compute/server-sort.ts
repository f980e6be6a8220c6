/**
 * Nova's sort dialect for the server list: `sort_key`/`sort_dir` (repeatable), completed to a
 * total order the way Nova's cross-cell lister does, with sort keys mapped to the fields of the
 * detailed server view.
 */
import { badRequest, isSupported, type Version } from '../../http';
import type { Item, SortDialect, SortKey, SortValue } from '../../fanout';
import { NOVA_QUERY, sortDirection } from '../common';

/** Who asks: some sort keys depend on the microversion or on being admin. */
export interface PlanContext {
  version?: Version;
  isAdmin?: boolean;
}

/** Keys Nova drops silently (schemas/servers.py SERVER_LIST_IGNORE_SORT_KEY); `locked` counts from 2.73. */
const NOVA_IGNORED = new Set([
  'architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device', 'deleted', 'deleted_at',
  'disable_terminate', 'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on', 'locked', 'memory_mb',
  'os_type', 'reservation_id', 'root_gb', 'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode',
]);
/** Keys only admins may sort by; Nova drops them for everyone else (remove_invalid_sort_keys). */
const NOVA_ADMIN_ONLY = new Set(['host', 'node']);

/**
 * Keys a pod sorts by but its detailed answer does not show (nova/api/openstack/compute/views/
 * servers.py): the gateway merges on the values it reads from the answers, so it cannot place
 * one pod's items among another's by these, and a pod read from its start could not be skipped
 * to the marker. Dropped like Nova's own ignored keys: the order stays total and one, and a walk
 * by `next` links sees every server once. `progress` is shown only in some statuses.
 */
const NOVA_NOT_SHOWN = new Set(['instance_type_id', 'locked_by', 'vm_mode', 'progress']);
/** Shown for admins from 2.3 only (the OS-EXT-SRV-ATTR extended attributes). */
const NOVA_SHOWN_ADMIN_23 = new Set(['hostname', 'kernel_id', 'ramdisk_id', 'launch_index', 'root_device_name']);

/** True when the detailed server view of this request shows the value of sort key `key`. */
function shown(key: string, ctx: PlanContext): boolean {
  const since = (v: string) => (ctx.version ? isSupported(ctx.version, v) : false);
  if (NOVA_NOT_SHOWN.has(key)) return false;
  if (NOVA_SHOWN_ADMIN_23.has(key)) return (ctx.isAdmin === true && since('2.3')) || (key === 'hostname' && since('2.90'));
  if (key === 'display_description') return since('2.19');
  return true;
}

/** Nova sort key → where the detailed server view shows it (views/servers.py). A Map: sort keys come from the caller. */
const NOVA_FIELDS: ReadonlyMap<string, string> = new Map(Object.entries({
  uuid: 'id', created_at: 'created', updated_at: 'updated', display_name: 'name', display_description: 'description',
  project_id: 'tenant_id', user_id: 'user_id', access_ip_v4: 'accessIPv4', access_ip_v6: 'accessIPv6',
  availability_zone: 'OS-EXT-AZ:availability_zone', config_drive: 'config_drive', key_name: 'key_name',
  host: 'OS-EXT-SRV-ATTR:host', node: 'OS-EXT-SRV-ATTR:hypervisor_hostname', hostname: 'OS-EXT-SRV-ATTR:hostname',
  kernel_id: 'OS-EXT-SRV-ATTR:kernel_id', ramdisk_id: 'OS-EXT-SRV-ATTR:ramdisk_id',
  launch_index: 'OS-EXT-SRV-ATTR:launch_index', root_device_name: 'OS-EXT-SRV-ATTR:root_device_name',
  launched_at: 'OS-SRV-USG:launched_at', terminated_at: 'OS-SRV-USG:terminated_at',
  power_state: 'OS-EXT-STS:power_state', task_state: 'OS-EXT-STS:task_state', vm_state: 'OS-EXT-STS:vm_state',
  progress: 'progress', locked: 'locked',
}));

/**
 * Nova: `sort_key`/`sort_dir` pairs, default `created_at desc` (common.get_sort_params), missing
 * directions take the first one, then `uuid asc` as the cross-cell tie-breaker
 * (InstanceSortContext). Ignored and (for non-admins) admin-only keys are dropped as Nova does,
 * and so are keys whose values the answers do not show to this caller (NOVA_NOT_SHOWN).
 */
export function novaSort(ctx: PlanContext = {}): SortDialect {
  return {
    params: ['sort_key', 'sort_dir'],
    plan(params) {
      const rawKeys = params.getAll('sort_key').map((k) => k.trim());
      const dirs = params.getAll('sort_dir').map((d) => sortDirection(d.trim(), NOVA_QUERY));
      if (dirs.length > Math.max(rawKeys.length, 1)) throw badRequest('Sort direction size exceeds sort key size');
      const first = dirs[0] ?? 'desc';
      let keys: SortKey[] = (rawKeys.length ? rawKeys : ['created_at']).map((key, i) => ({ key, dir: dirs[i] ?? first }));
      const locked73 = ctx.version ? isSupported(ctx.version, '2.73') : false;
      keys = keys.filter((k) => !(NOVA_IGNORED.has(k.key) && !(k.key === 'locked' && locked73)));
      if (!ctx.isAdmin) keys = keys.filter((k) => !NOVA_ADMIN_ONLY.has(k.key));
      keys = keys.filter((k) => shown(k.key, ctx));
      if (keys.length === 0) keys.push({ key: 'created_at', dir: first });
      if (!keys.some((k) => k.key === 'uuid')) keys.push({ key: 'uuid', dir: 'asc' });
      return keys;
    },
    toQuery(plan) {
      return plan.flatMap((k): [string, string][] => [['sort_key', k.key], ['sort_dir', k.dir]]);
    },
    value(item: Item, key: string): SortValue | undefined {
      if (key === 'image_ref') {
        const image = item.image;
        return image && typeof image === 'object' ? String((image as { id?: unknown }).id ?? '') : '';
      }
      if (key === 'auto_disk_config') {
        const d = item['OS-DCF:diskConfig'];
        return d === undefined ? undefined : d === 'AUTO';
      }
      const field = NOVA_FIELDS.get(key);
      if (field === undefined || !Object.hasOwn(item, field)) return undefined;
      return item[field] as SortValue;
    },
  };
}
