// Expected server shapes per microversion, transcribed from Tempest's response schemas
// (tempest/lib/api_schema/response/compute/v2_*/servers.py): the allowed properties
// (additionalProperties: false) and the required ones.
import assert from 'node:assert/strict';

const COMMON = ['id', 'name', 'status', 'image', 'flavor', 'fault', 'user_id', 'tenant_id', 'created', 'updated',
  'progress', 'metadata', 'links', 'addresses', 'hostId', 'OS-DCF:diskConfig', 'accessIPv4', 'accessIPv6'];
const DETAIL_21 = [...COMMON, 'key_name', 'security_groups', 'OS-SRV-USG:launched_at', 'OS-SRV-USG:terminated_at',
  'OS-EXT-AZ:availability_zone', 'OS-EXT-STS:task_state', 'OS-EXT-STS:vm_state', 'OS-EXT-STS:power_state',
  'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:instance_name', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
  'os-extended-volumes:volumes_attached', 'config_drive'];
const DETAIL_23 = [...DETAIL_21, 'OS-EXT-SRV-ATTR:reservation_id', 'OS-EXT-SRV-ATTR:launch_index',
  'OS-EXT-SRV-ATTR:kernel_id', 'OS-EXT-SRV-ATTR:ramdisk_id', 'OS-EXT-SRV-ATTR:hostname',
  'OS-EXT-SRV-ATTR:root_device_name', 'OS-EXT-SRV-ATTR:user_data'];
const REQUIRED_21 = ['id', 'name', 'status', 'image', 'flavor', 'user_id', 'tenant_id', 'created', 'updated',
  'metadata', 'links', 'addresses', 'hostId'];

function minor(v: string): number {
  return Number(v.split('.')[1]);
}

/** [allowed, required] for GET /servers/{id} (kind 'show'), detail items, or PUT (kind 'update'). */
export function serverSchema(version: string, kind: 'show' | 'detail' | 'update'): [Set<string>, Set<string>] {
  const m = minor(version);
  let allowed = kind === 'update' && m < 75 ? [...COMMON] : m >= 3 ? [...DETAIL_23] : [...DETAIL_21];
  const required = [...REQUIRED_21];
  const add = (from: number, key: string, req = true) => {
    if (m >= from) {
      allowed.push(key);
      if (req) required.push(key);
    }
  };
  if (m >= 16 && !(kind === 'update' && m < 75)) allowed.push('host_status');
  add(9, 'locked');
  add(19, 'description');
  add(26, 'tags');
  add(63, 'trusted_image_certificates');
  if (kind !== 'detail') add(71, 'server_groups');
  add(73, 'locked_reason');
  allowed = [...new Set(allowed)];
  return [new Set(allowed), new Set(required)];
}

/** Assert one server object fits Tempest's schema for (version, kind), nested parts included. */
export function assertServerShape(server: Record<string, unknown>, version: string, kind: 'show' | 'detail' | 'update'): void {
  const [allowed, required] = serverSchema(version, kind);
  for (const k of Object.keys(server)) assert.ok(allowed.has(k), `unexpected property ${k} at ${version} ${kind}`);
  for (const k of required) assert.ok(k in server, `missing required ${k} at ${version} ${kind}`);
  const flavor = server.flavor as Record<string, unknown>;
  if (minor(version) >= 47) {
    const fk = ['original_name', 'disk', 'ephemeral', 'ram', 'swap', 'vcpus'];
    for (const k of Object.keys(flavor)) assert.ok([...fk, 'extra_specs'].includes(k), `flavor.${k}`);
    for (const k of fk) assert.ok(k in flavor, `flavor.${k} required`);
  } else {
    assert.deepEqual(Object.keys(flavor).sort(), ['id', 'links']);
  }
  for (const l of server.links as Record<string, unknown>[]) assert.deepEqual(Object.keys(l).sort(), ['href', 'rel']);
  for (const ips of Object.values(server.addresses as Record<string, Record<string, unknown>[]>)) {
    for (const a of ips) {
      for (const k of Object.keys(a)) assert.ok(['version', 'addr', 'OS-EXT-IPS:type', 'OS-EXT-IPS-MAC:mac_addr'].includes(k), `address.${k}`);
    }
  }
  if ('OS-EXT-STS:power_state' in server) assert.ok([0, 1, 3, 4, 6, 7].includes(server['OS-EXT-STS:power_state'] as number));
}
