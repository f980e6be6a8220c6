// Volume actions besides attach/detach: extend, retype, readonly and bootable
// flags, upload to image, volume image metadata, and the admin actions
// (reset_status, force_delete, force_detach). Messages and codes follow
// cinder/api/contrib/{volume_actions,admin_actions,volume_image_metadata}.py
// and cinder/volume/api.py.
import { randomUUID } from 'node:crypto';
import type { ActionHandler, Args } from './actions';
import type { Ctx } from './context';
import { fieldError, identity, metadataField, mv, strictBool } from './context';
import { CinderFault, badRequest, invalidInput, invalidVolume, notFound, policyDenied } from './faults';
import { enforceQuota } from './quota';
import type { CinderState } from './state';
import type { SimVolume } from './types';
import { deleteVolume } from './volumes';

const accepted = (c: Ctx): Response => c.body(null, 202);

function adminAction(c: Ctx, action: string): void {
  if (!identity(c).isAdmin) policyFail(`volume_extension:volume_admin_actions:${action}`);
}
function policyFail(rule: string): never {
  throw policyDenied(rule);
}

/** Run an intermediate status for transitionMs, then apply `done` and restore the previous status. */
function transient(st: CinderState, vol: SimVolume, status: string, done: () => void): void {
  vol.previousStatus = vol.status;
  vol.status = status;
  st.touch(vol);
  st.later(() => {
    if (vol.status !== status) return;
    done();
    vol.status = vol.previousStatus ?? 'available';
    vol.previousStatus = null;
    st.touch(vol);
  });
}

function positiveInt(field: string, v: unknown): number {
  const n = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw fieldError(field, v, `${JSON.stringify(v)} is not of type 'integer'`);
  if (n < 1) throw fieldError(field, v, `${JSON.stringify(v)} is less than the minimum of 1`);
  return n;
}

function extend(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  const newSize = positiveInt('new_size', args.new_size);
  if (newSize - vol.size <= 0) {
    throw invalidInput(
      `New size for extend must be greater than current size. (current: ${vol.size}, extended: ${newSize}).`,
    );
  }
  const expected = mv(c, '3.42') && vol.status === 'in-use' ? 'in-use' : 'available';
  enforceQuota(st, vol.projectId, { gigabytes: newSize - vol.size });
  if (vol.status !== expected) {
    throw invalidVolume(`Volume ${vol.id} status must be '{'status': '${expected}'}' to extend, currently ${vol.status}.`);
  }
  transient(st, vol, 'extending', () => {
    vol.size = newSize;
  });
  return accepted(c);
}

function resetStatus(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  adminAction(c, 'reset_status');
  const status = typeof args.status === 'string' ? args.status.toLowerCase() : undefined;
  const attach = typeof args.attach_status === 'string' ? args.attach_status.toLowerCase() : undefined;
  const migration = typeof args.migration_status === 'string' ? args.migration_status.toLowerCase() : undefined;
  if (!status && !attach && !migration) throw fieldError('os-reset_status', args, 'must specify a status');
  if (status === 'deleting' || status === 'error_deletingdetaching') throw badRequest(`Cannot reset-state to ${status}`);
  if (status === 'in-use' && vol.attachments.length === 0) {
    throw badRequest('Cannot reset-state to in-use because volume does not have any attachments.');
  }
  if (status) vol.status = status;
  if (migration) vol.migrationStatus = migration === 'none' ? null : migration;
  if (attach === 'detached') {
    for (const a of [...vol.attachments]) st.removeAttachment(vol, a);
    delete vol.adminMetadata.attached_mode;
  }
  st.touch(vol);
  return accepted(c);
}

function forceDetach(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  adminAction(c, 'force_detach');
  const id = typeof args.attachment_id === 'string' ? args.attachment_id : undefined;
  const targets = id ? vol.attachments.filter((a) => a.id === id) : [...vol.attachments];
  if (targets.length === 0 || (!id && targets.length > 1)) {
    const filter = id ? `attachment_id = ${id}` : `volume_id = ${vol.id}`;
    throw badRequest(
      `Error force detaching volume - VolumeAttachmentNotFound: Volume attachment could not be found with filter: ${filter}.`,
    );
  }
  for (const a of targets) st.removeAttachment(vol, a);
  st.settleAttachStatus(vol);
  return accepted(c);
}

function retype(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  const ref = args.new_type;
  if (typeof ref !== 'string') throw fieldError('new_type', args, "'new_type' is a required property");
  let typeId: string;
  try {
    typeId = st.typeByNameOrId(identity(c), ref).id;
  } catch {
    throw invalidInput(`Invalid volume_type passed: ${ref}.`);
  }
  if (!['available', 'in-use'].includes(vol.status) || vol.migrationStatus || typeId === vol.volumeTypeId) {
    throw invalidVolume(
      'Retype needs volume to be in available or in-use state, not be part of an active migration or a ' +
        'consistency group, requested type has to be different that the one from the volume, and for ' +
        'in-use volumes front-end qos specs cannot change.',
    );
  }
  transient(st, vol, 'retyping', () => {
    vol.volumeTypeId = typeId;
  });
  return accepted(c);
}

function uploadImage(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  const name = args.image_name;
  if (typeof name !== 'string') throw fieldError('image_name', args, "'image_name' is a required property");
  const force = args.force !== undefined && strictBool('force', args.force);
  const allowed = force ? ['available', 'in-use'] : ['available'];
  if (!allowed.includes(vol.status)) throw invalidVolume(`Volume ${vol.id} status must be ${allowed.join(' or ')}`);
  const diskFormat = typeof args.disk_format === 'string' ? args.disk_format : 'raw';
  const containerFormat = typeof args.container_format === 'string' ? args.container_format : 'bare';
  const visibility = mv(c, '3.1') && typeof args.visibility === 'string' ? args.visibility : 'private';
  const isProtected = mv(c, '3.1') && args.protected !== undefined ? strictBool('protected', args.protected) : false;
  if (visibility === 'public' && !identity(c).isAdmin) policyFail('volume_extension:volume_actions:upload_public');
  const imageId = st.images?.add?.({
    name, disk_format: diskFormat, container_format: containerFormat, size: vol.size * 1024 ** 3,
    visibility, protected: isProtected, owner: vol.projectId,
  }) ?? randomUUID();
  transient(st, vol, 'uploading', () => undefined);
  const type = st.types.get(vol.volumeTypeId);
  const result: Record<string, unknown> = {
    id: vol.id,
    updated_at: vol.updatedAt,
    status: 'uploading',
    display_description: vol.description,
    size: vol.size,
    volume_type: type ? { id: type.id, name: type.name, description: type.description, is_public: type.isPublic, extra_specs: type.extraSpecs, deleted: false, created_at: vol.createdAt, updated_at: null, deleted_at: null, qos_specs_id: null } : null,
    image_id: imageId,
    container_format: containerFormat,
    disk_format: diskFormat,
    image_name: name,
  };
  if (mv(c, '3.1')) {
    result.visibility = visibility;
    result.protected = isProtected;
  }
  return c.json({ 'os-volume_upload_image': result }, 202);
}

/** revert (3.40): only to the latest snapshot of the same size; state errors are 409. */
function revert(st: CinderState, c: Ctx, vol: SimVolume, args: Args): Response {
  if (!mv(c, '3.40')) throw notFound('The resource could not be found.');
  const snaps = [...st.snapshots.values()].filter((s) => s.volumeId === vol.id).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  if (snaps.length === 0) throw badRequest(`Volume ${vol.id} doesn't have any snapshots.`);
  const latest = snaps[0];
  const wanted = typeof args.snapshot_id === 'string' ? args.snapshot_id : null;
  if (wanted !== latest.id) {
    throw badRequest(`Specified snapshot ${wanted ?? 'None'} is None or not the latest one of volume ${vol.id}.`);
  }
  if (vol.size !== latest.size) {
    throw badRequest(
      `Can't revert volume ${vol.id} to its latest snapshot ${latest.id}. The volume size must be equal to the snapshot size.`,
    );
  }
  const conflict = (kind: string, what: string) =>
    new CinderFault(409, `Invalid ${kind}: Can't revert volume ${vol.id} to its latest snapshot ${latest.id}. ${what}`);
  if (vol.status !== 'available') throw conflict('volume', "Volume's status must be 'available'.");
  if (latest.status !== 'available') throw conflict('snapshot', "Snapshot's status must be 'available'.");
  transient(st, vol, 'reverting', () => undefined);
  return accepted(c);
}

export const otherActions: Record<string, ActionHandler> = {
  revert,
  'os-extend': extend,
  'os-reset_status': resetStatus,
  'os-force_delete': (st, c, vol) => {
    adminAction(c, 'force_delete');
    deleteVolume(st, vol, { cascade: false, force: true });
    return accepted(c);
  },
  'os-force_detach': forceDetach,
  'os-retype': retype,
  'os-volume_upload_image': uploadImage,
  'os-set_bootable': (st, c, vol, args) => {
    vol.bootable = strictBool('bootable', args.bootable);
    st.touch(vol);
    return c.body(null, 200);
  },
  'os-update_readonly_flag': (st, c, vol, args) => {
    const flag = strictBool('readonly', args.readonly);
    if (vol.status !== 'available') {
      throw invalidVolume(
        `Volume ${vol.id} status must be available to update readonly flag, but current status is: ${vol.status}.`,
      );
    }
    vol.adminMetadata.readonly = flag ? 'True' : 'False';
    st.touch(vol);
    return accepted(c);
  },
  'os-set_image_metadata': (st, c, vol, args) => {
    const meta = metadataField(args, 'metadata');
    if (!meta) throw fieldError('metadata', args, "'metadata' is a required property");
    Object.assign(vol.imageMetadata, meta);
    st.touch(vol);
    return c.json({ metadata: { ...vol.imageMetadata } });
  },
  'os-unset_image_metadata': (st, c, vol, args) => {
    const key = args.key;
    if (typeof key !== 'string') throw fieldError('key', args, "'key' is a required property");
    if (!Object.hasOwn(vol.imageMetadata, key)) throw notFound(`Glance metadata for volume/snapshot ${vol.id} cannot be found.`);
    delete vol.imageMetadata[key];
    st.touch(vol);
    return c.body(null, 200);
  },
  'os-show_image_metadata': (_st, c, vol) => c.json({ metadata: { ...vol.imageMetadata } }),
};
