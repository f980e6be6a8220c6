// Simulated Cinder v3 for the pod simulator.
// createVolumeService(env) gives the Hono app the pod mounts at '/volume', the
// state maps for assertions, and the attach/detach/get calls the Nova side uses
// for os-volume_attachments inside the same pod.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { SimConflict, SimNotFound } from './faults';
import { buildCinderApp } from './service';
import type { ImageLookup } from './state';
import { CinderState, cinderTime } from './state';
import { imageMetadataOfImage, newVolume } from './volume-create';
import type { SimAttachment, SimBackup, SimServiceEnv, SimSnapshot, SimVolume, SimVolumeType } from './types';
import type { SimMessage } from './messages';
import type { SimGroup, SimGroupType } from './groups';

export type { SimAttachment, SimBackup, SimIdentity, SimServiceEnv, SimSnapshot, SimVolume, SimVolumeType } from './types';
export type { ImageLookup, ImageLookupResult, NewImage } from './state';
export { CinderFault, SimConflict, SimNotFound, faultBody, CINDER_FAULT_NAMES } from './faults';
export { DEFAULT_TYPE_NAME } from './state';

export interface VolumeService {
  /** Mounted by the pod at '/volume'. */
  app: Hono;
  volumes: Map<string, SimVolume>;
  snapshots: Map<string, SimSnapshot>;
  backups: Map<string, SimBackup>;
  types: Map<string, SimVolumeType>;
  /** User messages (3.3), for assertions. */
  messages: Map<string, SimMessage>;
  /** Group types and groups (3.11+), for assertions. */
  groupTypes: Map<string, SimGroupType>;
  groups: Map<string, SimGroup>;
  /**
   * Attach for Nova, the way Nova does it with Cinder's attachments API: the volume must belong
   * to projectId and be available (or in-use and multiattach). The attachment is created
   * 'reserved' (the volume too), then goes 'attaching' and finally 'attached' with the volume
   * 'in-use', one transition apart. Cinder sets no attached_mode/readonly admin metadata on
   * this path (only os-attach does). Throws SimNotFound (404) or SimConflict (409).
   */
  attach(volumeId: string, serverId: string, device: string, projectId: string): SimAttachment;
  /**
   * Detach the server's attachment as Nova does: the volume is 'detaching' at once, and after a
   * transition the attachment is gone and the volume back to available (or in-use when others
   * remain); then `done` runs. Throws SimNotFound.
   */
  detach(volumeId: string, serverId: string, done?: () => void): void;
  /**
   * A volume Nova creates for a block device mapping (source blank, image or snapshot, destination
   * volume): made and stored in 'creating', in the project; Nova then attaches it.
   */
  createForServer(o: { projectId: string; userId: string; size: number; name: string; imageId?: string; snapshotId?: string }): SimVolume;
  /** Delete a volume Nova owns (delete_on_termination): 'deleting', gone after a transition. */
  deleteForServer(volumeId: string): void;
  get(volumeId: string): SimVolume | undefined;
  /** Let imageRef / upload-to-image use the pod's Glance (pass the ImageService). */
  useImages(images: ImageLookup): void;
  /** Cancel pending status transitions. */
  close(): void;
}

/**
 * @param env pod name, AZ, transition delay, max microversion and identity resolver
 * @example
 *   const vol = createVolumeService({ podName: 'Pod1', az: 'nova', transitionMs: 20, maxVersion: '3.70', identify });
 *   app.route('/volume', vol.app);
 */
export function createVolumeService(env: SimServiceEnv): VolumeService {
  const st = new CinderState(env);
  const app = buildCinderApp(st) as unknown as Hono;
  return {
    app,
    volumes: st.volumes,
    snapshots: st.snapshots,
    backups: st.backups,
    types: st.types,
    messages: st.messages,
    groupTypes: st.groupTypes,
    groups: st.groups,
    get: (id) => st.volumes.get(id),
    useImages(images) {
      st.images = images;
    },
    close: () => st.stop(),
    attach(volumeId, serverId, device, projectId) {
      const vol = st.volumes.get(volumeId);
      if (!vol || vol.projectId !== projectId) throw new SimNotFound(`Volume ${volumeId} could not be found.`);
      const attached = st.attachedOf(vol);
      if (attached.some((a) => a.serverId === serverId)) {
        throw new SimConflict(`Volume ${volumeId} is already attached to server ${serverId}.`);
      }
      const ok = vol.status === 'available' || (vol.status === 'in-use' && vol.multiattach);
      if (!ok) {
        const statuses = vol.multiattach ? 'available or in-use' : 'available';
        throw new SimConflict(
          `Invalid volume: Volume ${volumeId} status must be ${statuses} to reserve, but the current status is ${vol.status}.`,
        );
      }
      const att: SimAttachment = {
        id: randomUUID(),
        volumeId,
        serverId,
        hostName: null,
        device: null,
        status: 'reserved',
        mode: 'rw',
        attachedAt: null,
        detachedAt: null,
        connector: null,
        projectId,
      };
      st.addAttachment(vol, att);
      if (vol.status !== 'in-use') vol.status = 'reserved';
      st.touch(vol);
      // attachment_update from the compute (connector known), then attachment_complete.
      st.later(() => {
        if (att.status !== 'reserved' || !st.attachments.has(att.id)) return;
        att.status = 'attaching';
        att.hostName = `${env.podName.toLowerCase()}-compute`;
        att.device = device;
        if (vol.status !== 'in-use') vol.status = 'attaching';
        st.touch(vol);
        st.later(() => {
          if (att.status !== 'attaching' || !st.attachments.has(att.id)) return;
          att.status = 'attached';
          att.attachedAt = cinderTime();
          vol.status = 'in-use';
          st.touch(vol);
        });
      });
      return att;
    },
    detach(volumeId, serverId, done) {
      const vol = st.volumes.get(volumeId);
      if (!vol) throw new SimNotFound(`Volume ${volumeId} could not be found.`);
      const att = vol.attachments.find((a) => a.serverId === serverId);
      if (!att) {
        throw new SimNotFound(
          `Volume attachment could not be found with filter: instance_uuid = ${serverId}, volume_id = ${volumeId}.`,
        );
      }
      // begin_detaching from nova-api, then the compute detaches and deletes the attachment.
      if (vol.status === 'in-use') vol.status = 'detaching';
      st.touch(vol);
      st.later(() => {
        if (st.attachments.has(att.id)) {
          st.removeAttachment(vol, att);
          st.settleAttachStatus(vol);
        }
        done?.();
      });
    },
    createForServer(o) {
      const image = o.imageId ? st.images?.get(o.imageId) : undefined;
      const snapshot = o.snapshotId ? st.snapshots.get(o.snapshotId) : undefined;
      const origin = snapshot ? st.volumes.get(snapshot.volumeId) : undefined;
      const vol = newVolume(st, {
        projectId: o.projectId,
        userId: o.userId,
        name: o.name,
        description: '',
        size: o.size,
        availabilityZone: env.az,
        volumeTypeId: st.defaultTypeId,
        snapshotId: snapshot?.id ?? null,
        bootable: image !== undefined || (origin?.bootable ?? false),
        imageMetadata: image ? imageMetadataOfImage(image) : origin ? { ...origin.imageMetadata } : {},
      });
      st.volumes.set(vol.id, vol);
      return vol;
    },
    deleteForServer(volumeId) {
      const vol = st.volumes.get(volumeId);
      if (!vol) return;
      vol.status = 'deleting';
      st.touch(vol);
      st.later(() => {
        st.volumes.delete(vol.id);
        for (const a of vol.attachments) st.attachments.delete(a.id);
      });
    },
  };
}
