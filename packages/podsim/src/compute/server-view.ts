// Server response shaping per microversion, following nova/api/openstack/compute/views/
// servers.py: which attributes appear depends on the microversion, on the caller's policy
// (admin sees OS-EXT-SRV-ATTR and host_status) and on the call (PUT and rebuild showed a
// reduced view until 2.75). Tempest checks these shapes with additionalProperties false.
import { createHash } from 'node:crypto';
import { isAdmin, since, type NovaContext } from './context';
import { bookmarkHref, resourceLinks } from './links';
import { statusFromState } from './states';
import type { SimServer } from './state';

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

/** What to include; defaults are those of GET /servers/{id}. */
export interface ShowOptions {
  extendAddress?: boolean;
  showAZ?: boolean;
  showConfigDrive?: boolean;
  /** undefined = decide by policy (admin only). */
  showExtendedAttr?: boolean;
  /** undefined = decide by policy (admin only). */
  showHostStatus?: boolean;
  showKeypair?: boolean;
  showSrvUsg?: boolean;
  showSecGrp?: boolean;
  showExtendedStatus?: boolean;
  showExtendedVolumes?: boolean;
  showServerGroups?: boolean;
  showUserData?: boolean;
}

export const NETWORK_NAME = 'private';

export function fixedIp(s: SimServer): string {
  return `10.0.${Math.floor(s.ipIndex / 250) % 250}.${(s.ipIndex % 250) + 3}`;
}

export function macAddress(s: SimServer): string {
  const h = createHash('md5').update(s.id).digest('hex');
  return `fa:16:3e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/** The addresses map; empty while building and for a server booted with networks "none". */
export function addresses(s: SimServer, extended: boolean): Record<string, Record<string, unknown>[]> {
  if (s.vmState === 'building' || s.noNetwork) return {};
  const a: Record<string, unknown> = { version: 4, addr: fixedIp(s) };
  if (extended) {
    a['OS-EXT-IPS:type'] = 'fixed';
    a['OS-EXT-IPS-MAC:mac_addr'] = macAddress(s);
  }
  return { [NETWORK_NAME]: [a] };
}

/** Nova's utils.generate_hostid: sha224(project + host), '' without a host. */
export function hostId(s: SimServer): string {
  return s.host ? createHash('sha224').update(s.projectId + s.host).digest('hex') : '';
}

function flavorView(c: NovaContext, s: SimServer): Record<string, unknown> {
  if (since(c, '2.47')) {
    const f = s.flavor;
    return {
      vcpus: f.vcpus, ram: f.ram, disk: f.disk, ephemeral: f.ephemeral, swap: f.swap,
      original_name: f.name, extra_specs: { ...f.extra_specs },
    };
  }
  return { id: s.flavor.id, links: [{ rel: 'bookmark', href: bookmarkHref(c, 'flavors', s.flavor.id) }] };
}

function imageView(c: NovaContext, s: SimServer): unknown {
  if (!s.imageId) return '';
  const image: Record<string, unknown> = {
    id: s.imageId,
    links: [{ rel: 'bookmark', href: bookmarkHref(c, 'images', s.imageId) }],
  };
  if (since(c, '2.98')) image.properties = {};
  return image;
}

/** A shelved-offloaded server has no host (Nova clears host and node on offload). */
const offloaded = (s: SimServer) => s.vmState === 'shelved_offloaded';

/**
 * Nova shows the zone of the server's host as it is now (availability_zones.py
 * get_instance_availability_zone), so a server whose host left its zone's aggregate shows the
 * default zone; an offloaded server, on no host, shows the AZ the create asked for, else ''.
 */
function availabilityZone(c: NovaContext, s: SimServer): string {
  if (!offloaded(s)) return c.get('az');
  return s.requestedAz ?? '';
}

/** Minimal view used by GET /servers (and its next links). */
export function basicServer(c: NovaContext, s: SimServer): Record<string, unknown> {
  return { id: s.id, name: s.name, links: resourceLinks(c, 'servers', s.id) };
}

/** Detailed view of one server (Nova ViewBuilder.show). */
export function showServer(c: NovaContext, s: SimServer, o: ShowOptions = {}): Record<string, unknown> {
  const opt = {
    extendAddress: true, showAZ: true, showConfigDrive: true, showKeypair: true, showSrvUsg: true,
    showSecGrp: true, showExtendedStatus: true, showExtendedVolumes: true, showServerGroups: false,
    showUserData: true, ...o,
  };
  const status = statusFromState(s.vmState, s.taskState);
  const v: Record<string, unknown> = {
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    addresses: addresses(s, opt.extendAddress),
    created: s.createdAt,
    flavor: flavorView(c, s),
    hostId: hostId(s),
    id: s.id,
    image: imageView(c, s),
    links: resourceLinks(c, 'servers', s.id),
    metadata: { ...s.metadata },
    name: s.name,
    status,
    tenant_id: s.projectId,
    user_id: s.userId,
    updated: s.updatedAt,
    'OS-DCF:diskConfig': s.diskConfig,
  };
  if (PROGRESS_STATUSES.has(status)) v.progress = 0;
  if (opt.showAZ) v['OS-EXT-AZ:availability_zone'] = availabilityZone(c, s);
  if (opt.showConfigDrive) v.config_drive = s.configDrive;
  if (opt.showKeypair) v.key_name = s.keyName;
  if (opt.showSrvUsg) {
    v['OS-SRV-USG:launched_at'] = s.launchedAt;
    v['OS-SRV-USG:terminated_at'] = null;
  }
  // Nova reads security groups from the server's Neutron ports: none without ports.
  if (opt.showSecGrp && s.securityGroups.length > 0 && !s.noNetwork) v.security_groups = s.securityGroups.map((name) => ({ name }));
  const extended = opt.showExtendedAttr ?? isAdmin(c);
  if (extended) {
    v['OS-EXT-SRV-ATTR:host'] = offloaded(s) ? null : s.host;
    v['OS-EXT-SRV-ATTR:instance_name'] = `instance-${s.seq.toString(16).padStart(8, '0')}`;
    v['OS-EXT-SRV-ATTR:hypervisor_hostname'] = offloaded(s) ? null : s.node;
    if (since(c, '2.3')) {
      v['OS-EXT-SRV-ATTR:hostname'] = s.hostname;
      v['OS-EXT-SRV-ATTR:kernel_id'] = '';
      v['OS-EXT-SRV-ATTR:launch_index'] = s.launchIndex;
      v['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      v['OS-EXT-SRV-ATTR:reservation_id'] = s.reservationId;
      v['OS-EXT-SRV-ATTR:root_device_name'] = '/dev/vda';
      if (opt.showUserData) v['OS-EXT-SRV-ATTR:user_data'] = s.userData;
    }
  }
  if (opt.showExtendedStatus) {
    v['OS-EXT-STS:task_state'] = s.taskState;
    v['OS-EXT-STS:vm_state'] = s.vmState;
    v['OS-EXT-STS:power_state'] = s.powerState;
  }
  if (opt.showExtendedVolumes) {
    v['os-extended-volumes:volumes_attached'] = s.volumes.map((a) =>
      since(c, '2.3') ? { id: a.volumeId, delete_on_termination: a.deleteOnTermination } : { id: a.volumeId },
    );
  }
  if (since(c, '2.9')) v.locked = s.lockedBy !== null;
  if (since(c, '2.16') && (opt.showHostStatus ?? isAdmin(c))) v.host_status = 'UP';
  if (since(c, '2.19')) v.description = s.description;
  if (since(c, '2.26')) v.tags = [...s.tags];
  if (since(c, '2.63')) v.trusted_image_certificates = s.trustedCerts ? [...s.trustedCerts] : null;
  if (opt.showServerGroups) v.server_groups = [...s.serverGroups];
  if (since(c, '2.73')) v.locked_reason = s.lockedReason;
  if (since(c, '2.90') && !extended) v['OS-EXT-SRV-ATTR:hostname'] = s.hostname;
  if (opt.showAZ && since(c, '2.96')) v.pinned_availability_zone = null;
  if (since(c, '2.100')) v.scheduler_hints = {};
  return v;
}

/** Options of the reduced view PUT /servers/{id} and rebuild return before 2.75. */
export function updateViewOptions(c: NovaContext): ShowOptions {
  const all = since(c, '2.75');
  return {
    extendAddress: all, showAZ: all, showConfigDrive: all, showKeypair: all, showSrvUsg: all,
    showSecGrp: all, showExtendedStatus: all, showExtendedVolumes: all,
    showExtendedAttr: all ? undefined : false, showHostStatus: all ? undefined : false,
    showServerGroups: since(c, '2.71'),
  };
}
