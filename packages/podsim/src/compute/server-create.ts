// POST /servers: Nova's request validation (schema and lookups: flavor, image, keypair,
// AZ, boot volume), then the BUILD -> ACTIVE life cycle. Messages are Nova's.
import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { badRequest, jsonBody, since, type NovaContext } from './context';
import { computeHostZone, type NovaDeps } from './deps';
import { resourceLinks, selfHref } from './links';
import { flavorSnapshot } from './flavor-store';
import { visible } from './flavors';
import { enforceMetadataQuota, enforceQuota } from './quota';
import { groupFromHint } from './server-groups';
import { recordAction } from './server-lookup';
import { isoSeconds, naiveMicros, POWER, type SimServer } from './state';
import { accessIPv4, accessIPv6, diskConfig, stringMap } from './validate';

const BASE_KEYS = [
  'name', 'imageRef', 'flavorRef', 'adminPass', 'metadata', 'networks', 'OS-DCF:diskConfig',
  'accessIPv4', 'accessIPv6', 'availability_zone', 'block_device_mapping', 'block_device_mapping_v2',
  'config_drive', 'key_name', 'min_count', 'max_count', 'return_reservation_id', 'security_groups',
  'user_data', 'personality',
];

/** Server body keys allowed at the request's microversion. */
function allowedKeys(c: NovaContext): Set<string> {
  const keys = new Set(BASE_KEYS);
  if (since(c, '2.19')) keys.add('description');
  if (since(c, '2.52')) keys.add('tags');
  if (since(c, '2.57')) keys.delete('personality');
  if (since(c, '2.63')) keys.add('trusted_image_certificates');
  if (since(c, '2.74')) ['host', 'hypervisor_hostname'].forEach((k) => keys.add(k));
  if (since(c, '2.90')) keys.add('hostname');
  return keys;
}

function idFromHref(ref: unknown): string {
  return String(ref).split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
}

function count(v: unknown, field: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'integer', 'string'`);
  }
  return n;
}

interface BootVolume {
  volumeId: string;
  deleteOnTermination: boolean;
}

/** A volume Nova creates for the server (source blank, image or snapshot; destination volume). */
interface NewVolume {
  source: 'blank' | 'image' | 'snapshot';
  uuid: string;
  size: number;
  bootIndex: number | null;
  deleteOnTermination: boolean;
}

interface Bdms {
  /** An existing volume booted from (source volume, boot_index 0). */
  volume?: BootVolume;
  /** The image of an image-to-local boot mapping. */
  image?: string;
  /** Volumes Nova makes while building; when the boot one is among them, no imageRef is needed. */
  create: NewVolume[];
}

/** The mappings of a block_device_mapping_v2 boot, checked against this pod's Cinder and Glance. */
function bootFromBdm(deps: NovaDeps, bdms: unknown): Bdms | undefined {
  if (bdms === undefined) return undefined;
  if (!Array.isArray(bdms)) throw badRequest(`Invalid input for field/attribute block_device_mapping_v2. Value: ${JSON.stringify(bdms)}. ${JSON.stringify(bdms)} is not of type 'array'`);
  // Nova's schema: every mapping's source and destination come from fixed sets.
  for (const b of bdms as Record<string, unknown>[]) {
    const dest = b?.destination_type;
    const src = b?.source_type;
    if (dest !== undefined && dest !== 'local' && dest !== 'volume') {
      throw badRequest(`Invalid input for field/attribute destination_type. Value: ${JSON.stringify(dest)}. ${JSON.stringify(dest)} is not one of ['local', 'volume']`);
    }
    if (src !== undefined && !['volume', 'image', 'snapshot', 'blank'].includes(String(src))) {
      throw badRequest(`Invalid input for field/attribute source_type. Value: ${JSON.stringify(src)}. ${JSON.stringify(src)} is not one of ['volume', 'image', 'snapshot', 'blank']`);
    }
  }
  // Volumes Nova creates itself: blank, image or snapshot sources with a volume destination.
  const create: NewVolume[] = [];
  for (const b of bdms as Record<string, unknown>[]) {
    const src = String(b?.source_type ?? '');
    if (b?.destination_type !== 'volume' || !['blank', 'image', 'snapshot'].includes(src)) continue;
    const uuid = String(b.uuid ?? '');
    if (src === 'image' && !deps.images.get(uuid)) throw badRequest(`Image ${uuid} could not be found.`);
    if (src === 'snapshot' && !deps.volumes.snapshots.get(uuid)) throw badRequest(`Snapshot ${uuid} could not be found.`);
    // Nova's _validate_bdm: image and blank sources need a size; a snapshot's volume takes its size.
    const given = b.volume_size === undefined || b.volume_size === null ? undefined : Number(b.volume_size);
    if (src === 'image' && !given) throw badRequest("Images with destination_type 'volume' need to have a non-zero size specified");
    if (src === 'blank' && !given) throw badRequest("Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size");
    const size = given ?? deps.volumes.snapshots.get(uuid)!.size;
    const index = b.boot_index === undefined || b.boot_index === null ? null : Number(b.boot_index);
    create.push({ source: src as NewVolume['source'], uuid, size, bootIndex: index, deleteOnTermination: b.delete_on_termination === true });
  }
  const boot = bdms.find((b) => b && typeof b === 'object' && String((b as Record<string, unknown>).boot_index) === '0') as Record<string, unknown> | undefined;
  if (!boot) return { create };
  const source = boot.source_type;
  const uuid = String(boot.uuid ?? '');
  if (source === 'volume') {
    const vol = deps.volumes.get(uuid);
    if (!vol) throw badRequest(`Volume ${uuid} could not be found.`);
    if (!vol.bootable) throw badRequest(`Block Device ${uuid} is not bootable.`);
    return { volume: { volumeId: uuid, deleteOnTermination: boot.delete_on_termination === true }, create };
  }
  if (source === 'image' && boot.destination_type !== 'volume') {
    if (!deps.images.get(uuid)) throw badRequest(`Image ${uuid} could not be found.`);
    return { image: uuid, create };
  }
  return { create };
}

/** Does Nova boot from a volume it makes (boot_index 0 among the volumes to create)? */
const bootsFromNewVolume = (b: Bdms | undefined) => b?.create.some((v) => v.bootIndex === 0) ?? false;

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * `networks`: 'auto'/'none' (2.37) or a list whose uuids must be UUIDs and fixed IPs IPs; Nova
 * answers 400 "Bad networks format" otherwise. There is no Neutron to ask whether they exist.
 */
function checkNetworks(networks: unknown): void {
  if (!Array.isArray(networks)) return;
  for (const n of networks as Record<string, unknown>[]) {
    const uuid = n?.uuid;
    if (uuid !== undefined && (typeof uuid !== 'string' || !UUID_RE.test(uuid))) {
      throw badRequest(`Bad networks format: network uuid is not in proper format (${String(uuid)})`);
    }
    const ip = n?.fixed_ip;
    if (ip !== undefined && (typeof ip !== 'string' || isIP(ip) === 0)) {
      throw badRequest(`Invalid input for field/attribute fixed_ip. Value: ${JSON.stringify(ip)}. ${JSON.stringify(ip)} is not a 'ip-address'`);
    }
  }
}

/** Handle POST /servers (202 with the create view). */
export async function createServer(c: NovaContext, deps: NovaDeps): Promise<Response> {
  const body = await jsonBody(c);
  const sv = body.server;
  if (typeof sv !== 'object' || sv === null || Array.isArray(sv)) throw badRequest("Invalid input for field/attribute body. Value: {}. 'server' is a required property");
  const server = sv as Record<string, unknown>;
  const allowed = allowedKeys(c);
  const extra = Object.keys(server).filter((k) => !allowed.has(k));
  if (extra.length > 0) {
    throw badRequest(`Invalid input for field/attribute server. Value: ${JSON.stringify(server)}. Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
  }
  for (const req of ['name', 'flavorRef']) {
    if (!(req in server)) throw badRequest(`Invalid input for field/attribute server. Value: ${JSON.stringify(server)}. '${req}' is a required property`);
  }
  if (since(c, '2.37') && !('networks' in server)) {
    throw badRequest(`Invalid input for field/attribute server. Value: ${JSON.stringify(server)}. 'networks' is a required property`);
  }
  const name = server.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name) {
    throw badRequest(`Invalid input for field/attribute name. Value: ${JSON.stringify(name)}. ${JSON.stringify(name)} is not a valid name`);
  }
  const minCount = count(server.min_count, 'min_count', 1);
  const maxCount = count(server.max_count, 'max_count', minCount);
  if (minCount > maxCount) throw badRequest('min_count must be <= max_count');
  const metadata = stringMap(server.metadata ?? {}, 'metadata');
  enforceMetadataQuota(deps, c.get('identity').projectId, metadata);
  const ipv4 = accessIPv4(server.accessIPv4);
  const ipv6 = accessIPv6(server.accessIPv6);
  const disk = diskConfig(server['OS-DCF:diskConfig'], 'MANUAL');

  const az = server.availability_zone;
  if (az !== undefined && az !== null) {
    const zone = String(az).split(':')[0];
    if (zone !== '' && zone !== computeHostZone(deps)) throw badRequest('The requested availability zone is not available');
  }

  checkNetworks(server.networks);
  const group = groupFromHint(c, deps, body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints']);
  const boot = bootFromBdm(deps, server.block_device_mapping_v2);
  let imageId = '';
  if (boot?.volume || bootsFromNewVolume(boot)) {
    imageId = '';
  } else if (server.imageRef !== undefined && server.imageRef !== '') {
    imageId = idFromHref(server.imageRef);
    if (!deps.images.get(imageId)) throw badRequest('Can not find requested image');
  } else if (boot?.image) {
    imageId = '';
  } else {
    throw badRequest('Invalid imageRef provided.');
  }

  const flavorId = idFromHref(server.flavorRef);
  const flavor = deps.state.flavors.get(flavorId);
  if (!flavor || !visible(c, flavor)) throw badRequest(`Flavor ${flavorId} could not be found.`);

  const who = c.get('identity');
  const keyName = server.key_name === undefined || server.key_name === null ? null : String(server.key_name);
  if (keyName !== null && !deps.state.keypairs.get(who.userId)?.has(keyName)) {
    throw badRequest('Invalid key_name provided.');
  }
  enforceQuota(deps, who.projectId, { instances: minCount, cores: minCount * flavor.vcpus, ram: minCount * flavor.ram });
  const groups = Array.isArray(server.security_groups)
    ? [...new Set((server.security_groups as { name?: unknown }[]).map((g) => String(g?.name ?? '')).filter((n) => n))]
    : ['default'];
  const description = since(c, '2.19') ? ((server.description as string | null | undefined) ?? null) : name;
  const tags = since(c, '2.52') && Array.isArray(server.tags) ? (server.tags as unknown[]).map(String) : [];
  const adminPass = typeof server.adminPass === 'string' ? server.adminPass : randomBytes(9).toString('base64url');
  const reservationId = `r-${randomBytes(4).toString('hex').slice(0, 8)}`;

  const created: SimServer[] = [];
  for (let i = 0; i < maxCount; i++) {
    const now = isoSeconds();
    const seq = deps.state.nextSeq();
    const id = randomUUID();
    const displayName = maxCount > 1 ? `${name}-${i + 1}` : name;
    const s: SimServer = {
      id, seq, name: displayName, description, projectId: who.projectId, userId: who.userId,
      flavor: flavorSnapshot(flavor), resizeFrom: null, imageId, keyName, metadata: { ...metadata },
      tags: [...tags], securityGroups: groups, vmState: 'building', taskState: 'scheduling',
      powerState: POWER.NOSTATE, lockedBy: null, lockedReason: null, createdAt: now, updatedAt: now,
      launchedAt: null, host: `${deps.env.podName.toLowerCase()}-compute-1`,
      node: `${deps.env.podName.toLowerCase()}-compute-1`,
      hostname: displayName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'server',
      reservationId, launchIndex: i, userData: typeof server.user_data === 'string' ? server.user_data : null,
      configDrive: server.config_drive === true || server.config_drive === 'True' ? 'True' : '',
      accessIPv4: ipv4,
      accessIPv6: ipv6,
      diskConfig: disk,
      adminPass, ipIndex: seq, volumes: [], actions: [], serverGroups: [],
      trustedCerts: Array.isArray(server.trusted_image_certificates) ? (server.trusted_image_certificates as string[]) : null,
      noNetwork: server.networks === 'none',
      requestedAz: az === undefined || az === null || String(az).split(':')[0] === '' ? null : String(az).split(':')[0],
    };
    if (boot?.volume && i === 0) {
      const att = deps.volumes.attach(boot.volume.volumeId, id, '/dev/vda', who.projectId) as unknown as Record<string, unknown>;
      s.volumes.push({
        bdmId: randomUUID(), volumeId: boot.volume.volumeId, device: '/dev/vda', tag: null,
        deleteOnTermination: boot.volume.deleteOnTermination,
        attachmentId: String(att?.attachment_id ?? att?.id ?? randomUUID()),
      });
    }
    if (group) {
      s.serverGroups.push(group.id);
      group.members.push(id);
    }
    deps.state.servers.set(id, s);
    recordAction(c, s, 'create', 'compute__do_build_and_run_instance');
    created.push(s);
    const activate = () => {
      if (s.vmState !== 'building') return;
      s.vmState = 'active';
      s.taskState = null;
      s.powerState = POWER.RUNNING;
      s.launchedAt = naiveMicros();
      s.updatedAt = isoSeconds();
    };
    const toCreate = i === 0 ? boot?.create ?? [] : [];
    if (toCreate.length === 0) {
      deps.state.later(activate);
      continue;
    }
    // Nova makes the volumes while the server is BUILD/block_device_mapping, waits until they
    // are attached, and only then spawns: the server is ACTIVE after its volumes are in-use.
    deps.state.later(() => {
      if (s.vmState !== 'building') return;
      s.taskState = 'block_device_mapping';
      for (const n of toCreate) {
        const vol = deps.volumes.createForServer({
          projectId: s.projectId, userId: s.userId, size: n.size,
          // Nova names only blank volumes; image and snapshot ones are nameless.
          name: n.source === 'blank' ? `${s.id}-blank-vol` : '',
          imageId: n.source === 'image' ? n.uuid : undefined,
          snapshotId: n.source === 'snapshot' ? n.uuid : undefined,
        });
        vol.status = 'available';
        const device = n.bootIndex === 0 ? '/dev/vda' : `/dev/vd${String.fromCharCode(98 + s.volumes.length)}`;
        const att = deps.volumes.attach(vol.id, s.id, device, s.projectId);
        s.volumes.push({ bdmId: randomUUID(), volumeId: vol.id, device, tag: null, deleteOnTermination: n.deleteOnTermination, attachmentId: att.id });
      }
      // The attach takes two transitions (reserved, attaching); spawn after it.
      deps.state.later(() => deps.state.later(() => deps.state.later(activate)));
    });
  }

  if (server.return_reservation_id === true || server.return_reservation_id === 'True') {
    return c.json({ reservation_id: reservationId }, 202);
  }
  const first = created[0];
  const view = {
    server: {
      id: first.id,
      links: resourceLinks(c, 'servers', first.id),
      'OS-DCF:diskConfig': disk,
      security_groups: Array.isArray(server.security_groups) ? server.security_groups : [{ name: 'default' }],
      adminPass,
    },
  };
  return c.json(view, 202, { Location: selfHref(c, 'servers', first.id) });
}
