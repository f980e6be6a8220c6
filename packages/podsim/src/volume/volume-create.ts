// POST /volumes: validation and sources, after cinder/api/v3/volumes.py create()
// and cinder/volume/flows/api/create_volume.py (size rules, source states,
// availability zone). The new volume starts 'creating' and becomes
// 'available' after transitionMs.
import { randomUUID } from 'node:crypto';
import type { Ctx } from './context';
import { fieldError, identity, member, metadataField, mv, optString, readBody, strictBool } from './context';
import { badRequest, CinderFault, invalidInput, notFound } from './faults';
import { enforceQuota } from './quota';
import { addMessage, NO_BACKEND_AVAILABLE, SCHEDULE_ALLOCATE_VOLUME } from './messages';
import type { CinderState, ImageLookupResult } from './state';
import { cinderTime, cinderTimeExact, rememberCreated } from './state';
import type { SimBackup, SimSnapshot, SimVolume } from './types';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const isUuidLike = (s: string): boolean => UUID_RE.test(s);

/** Volume size from the body: positive integer (or digit string), or null when absent. */
function sizeField(v: Record<string, unknown>): number | null {
  const s = v.size;
  if (s === undefined || s === null) return null;
  if (typeof s === 'string' && /^[0-9]+$/.test(s)) return checkMin(Number(s), s);
  if (typeof s === 'number' && Number.isInteger(s)) return checkMin(s, s);
  throw fieldError('size', s, `${JSON.stringify(s)} is not of type 'integer', 'string', 'null'`);
}

function checkMin(n: number, raw: unknown): number {
  if (n < 1) throw fieldError('size', raw, `${JSON.stringify(raw)} is less than the minimum of 1`);
  return n;
}

function optUuid(v: Record<string, unknown>, key: string): string | null {
  const s = v[key];
  if (s === undefined || s === null) return null;
  if (typeof s !== 'string' || !isUuidLike(s)) throw fieldError(key, s, `${JSON.stringify(s)} is not a 'uuid'`);
  return s;
}

function requireState(resName: string, status: string, allowed: string[]): void {
  if (!allowed.includes(status)) {
    throw invalidInput(`Originating ${resName} status must be one of '${allowed.join(', ')}' values`);
  }
}

/** _image_uuid_from_ref: last path segment as id, else an exact name match. */
function resolveImage(st: CinderState, ref: string): ImageLookupResult | { id: string } {
  const tail = ref.split('/').pop() ?? ref;
  if (!st.images) {
    // No Glance linked into this pod: trust a uuid, refuse anything else.
    if (isUuidLike(tail)) return { id: tail };
  } else {
    if (isUuidLike(tail)) {
      const img = st.images.get(tail);
      if (img) return img;
    }
    const byName = st.images.list().filter((i) => i.name === ref);
    if (byName.length > 1) {
      throw new CinderFault(409, `Multiple matches found for '${ref}', use an ID to be more specific.`);
    }
    if (byName.length === 1) return byName[0];
  }
  throw badRequest('Invalid image identifier or unable to access requested image.');
}

export async function createVolume(st: CinderState, c: Ctx): Promise<SimVolume> {
  const who = identity(c);
  const body = await readBody(c);
  const v = member(body, 'volume');
  const name = optString(v, 'name') ?? optString(v, 'display_name') ?? null;
  const description = optString(v, 'description') ?? optString(v, 'display_description') ?? null;
  const metadata = metadataField(v, 'metadata') ?? {};
  let size = sizeField(v);
  if (v.multiattach !== undefined && v.multiattach !== null && strictBool('multiattach', v.multiattach)) {
    throw badRequest(
      'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume ' +
        'types. Contact your administrator to create a multiattach enabled volume type and use it to ' +
        'create multiattach volumes.',
    );
  }
  const typeRef = v.volume_type;
  if (typeRef !== undefined && typeRef !== null && typeof typeRef !== 'string') {
    throw fieldError('volume_type', typeRef, `${JSON.stringify(typeRef)} is not of type 'string', 'null'`);
  }
  const type = typeRef ? st.typeByNameOrId(who, typeRef) : st.defaultTypeFor(who.projectId);

  // 3.13: a volume made in a group (the group must be the caller's and take the type).
  const groupId = mv(c, '3.13') ? optUuid(v, 'group_id') : null;
  const group = groupId ? st.groups.get(groupId) : undefined;
  if (groupId && (!group || !st.canSee(who, group.projectId))) throw notFound(`Group ${groupId} could not be found.`);
  if (group && !group.volumeTypeIds.includes(type.id)) throw invalidInput(`Invalid volume_type provided: ${type.id}. Group ${group.id} does not support it.`);
  const snapshotId = optUuid(v, 'snapshot_id');
  const snapshot: SimSnapshot | undefined = snapshotId ? st.snapshot(who, snapshotId) : undefined;
  const sourceId = optUuid(v, 'source_volid');
  const source: SimVolume | undefined = sourceId ? st.volume(who, sourceId) : undefined;
  const backupId = mv(c, '3.47') ? optUuid(v, 'backup_id') : null;
  const backup: SimBackup | undefined = backupId ? st.backup(who, backupId) : undefined;
  const imageRef = v.imageRef ?? v.image_id;
  let image: ImageLookupResult | { id: string } | undefined;
  if (imageRef !== undefined && imageRef !== null) {
    if (typeof imageRef !== 'string') throw badRequest('Invalid imageRef provided.');
    image = resolveImage(st, imageRef);
  }

  if (snapshot) requireState('snapshot', snapshot.status, ['available']);
  if (source) requireState('volume', source.status, ['available', 'in-use']);
  if (backup && backup.status !== 'available') {
    throw invalidInput(`Backup status must be available, but current status is: ${backup.status}.`);
  }
  if (size === null) size = snapshot?.size ?? source?.size ?? backup?.size ?? null;
  if (size === null) throw invalidInput("Volume size 'None' must be an integer and greater than 0");
  if (source && size < source.size) {
    throw invalidInput(
      `Volume size '${size}'GB cannot be smaller than original volume size  ${source.size}GB. ` +
        'They must be >= original volume size.',
    );
  } else if (snapshot && size < snapshot.size) {
    throw invalidInput(
      `Volume size '${size}'GB cannot be smaller than the snapshot size ${snapshot.size}GB. ` +
        'They must be >= original snapshot size.',
    );
  } else if (backup && size < backup.size) {
    throw invalidInput(
      `Volume size ${size}GB cannot be smaller than the backup size ${backup.size}GB. It must be >= backup size.`,
    );
  }
  if (image && 'min_disk' in image && image.min_disk > size) {
    throw invalidInput(`Volume size ${size}GB cannot be smaller than the image minDisk size ${image.min_disk}GB.`);
  }

  const azRaw = v.availability_zone;
  if (azRaw !== undefined && azRaw !== null && typeof azRaw !== 'string') {
    throw fieldError('availability_zone', azRaw, `${JSON.stringify(azRaw)} is not of type 'string', 'null'`);
  }
  const az = azRaw || source?.availabilityZone || st.env.az;
  if (az !== st.env.az) throw badRequest(`Availability zone '${az}' is invalid.`);

  const origin = source ?? (snapshot ? st.volumes.get(snapshot.volumeId) : undefined);
  const vol = newVolume(st, {
    projectId: who.projectId,
    userId: who.userId,
    name,
    description,
    size,
    availabilityZone: az,
    volumeTypeId: type.id,
    snapshotId: snapshot?.id ?? null,
    sourceVolid: source?.id ?? null,
    backupId: backup?.id ?? null,
    bootable: image !== undefined || (origin?.bootable ?? false),
    multiattach: /^<is>\s*true$/i.test(type.extraSpecs.multiattach ?? ''),
    metadata,
    imageMetadata: image ? imageMetadataOf(image) : origin ? { ...origin.imageMetadata } : {},
  });
  enforceQuota(st, who.projectId, { volumes: 1, gigabytes: size });
  vol.groupId = group?.id ?? null;
  st.volumes.set(vol.id, vol);
  // The scheduler's capability filter: a type asking for another backend finds none, the volume
  // goes to 'error' and the project gets a user message saying why (cinder/scheduler/manager.py).
  const backend = type.extraSpecs.volume_backend_name;
  const noBackend = backend !== undefined && backend !== st.backendName;
  const requestId = c.get('requestId');
  st.later(() => {
    if (vol.status === 'creating' && st.volumes.has(vol.id)) {
      vol.status = noBackend ? 'error' : 'available';
      st.touch(vol);
      if (noBackend) {
        addMessage(st, { projectId: vol.projectId, resourceType: 'VOLUME', resourceUuid: vol.id, requestId, action: SCHEDULE_ALLOCATE_VOLUME, detail: NO_BACKEND_AVAILABLE });
      }
    }
  });
  return vol;
}

type VolumeFields = Pick<SimVolume, 'projectId' | 'userId' | 'name' | 'description' | 'size' | 'availabilityZone' | 'volumeTypeId'>
  & Partial<Pick<SimVolume, 'snapshotId' | 'sourceVolid' | 'backupId' | 'bootable' | 'multiattach' | 'metadata' | 'imageMetadata'>>;

/** A new 'creating' volume record (not stored): the POST handler's and Nova's boot volumes'. */
export function newVolume(st: CinderState, f: VolumeFields): SimVolume {
  const exact = cinderTimeExact();
  const vol: SimVolume = {
    id: randomUUID(),
    snapshotId: null,
    sourceVolid: null,
    backupId: null,
    bootable: false,
    multiattach: false,
    metadata: {},
    imageMetadata: {},
    ...f,
    status: 'creating',
    adminMetadata: {},
    attachments: [],
    migrationStatus: null,
    replicationStatus: null,
    host: st.host,
    serviceUuid: st.serviceUuid,
    groupId: null,
    consistencygroupId: null,
    createdAt: cinderTime(exact),
    updatedAt: null,
    previousStatus: null,
  };
  rememberCreated(vol, exact);
  return vol;
}

/** volume_image_metadata as Cinder copies it from Glance at create time. */
export function imageMetadataOfImage(image: ImageLookupResult): Record<string, string> {
  return imageMetadataOf(image);
}

/** volume_image_metadata as Cinder copies it from Glance at create time. */
function imageMetadataOf(image: ImageLookupResult | { id: string }): Record<string, string> {
  const out: Record<string, string> = { image_id: image.id };
  if (!('min_disk' in image)) return out;
  if (image.name !== null) out.image_name = image.name;
  if (image.checksum !== null) out.checksum = image.checksum;
  if (image.container_format !== null) out.container_format = image.container_format;
  if (image.disk_format !== null) out.disk_format = image.disk_format;
  out.min_disk = String(image.min_disk);
  out.min_ram = String(image.min_ram);
  if (image.size !== null) out.size = String(image.size);
  // Cinder records whether it verified the image's signature; unsigned images: 'False'.
  out.signature_verified = 'False';
  return out;
}

