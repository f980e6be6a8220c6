// Simulated Cinder v3 for the pod simulator.
// createVolumeService(env) gives the Hono app the pod mounts at '/volume', the
// state maps for assertions, and the attach/detach/get calls the Nova side uses
// for os-volume_attachments inside the same pod.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { SimConflict, SimNotFound } from './faults';
import { buildCinderApp } from './service';
import { volumeRecord } from './volume-create';
import type { ImageLookup } from './state';
import { CinderState, cinderTime } from './state';
import type { SimAttachment, SimBackup, SimServiceEnv, SimSnapshot, SimVolume, SimVolumeType } from './types';

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
  /**
   * Attach for Nova's os-volume_attachments: the volume must belong to projectId
   * and be available (or in-use and multiattach). Throws SimNotFound (404) or SimConflict (409).
   */
  attach(volumeId: string, serverId: string, device: string, projectId: string): SimAttachment;
  /** Detach the server's attachment; volume goes back to available when none is left. Throws SimNotFound. */
  detach(volumeId: string, serverId: string): void;
  get(volumeId: string): SimVolume | undefined;
  /**
   * A volume Nova creates for a server's block_device_mapping_v2 (`destination_type: volume` with
   * an image, snapshot or blank source): made available at once, in the server's project.
   */
  createForServer(o: { projectId: string; userId: string; size: number; name: string; imageId?: string; snapshotId?: string }): SimVolume;
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
    get: (id) => st.volumes.get(id),
    createForServer(o) {
      const snapshot = o.snapshotId ? st.snapshots.get(o.snapshotId) : undefined;
      const origin = snapshot ? st.volumes.get(snapshot.volumeId) : undefined;
      const vol = volumeRecord(st, {
        projectId: o.projectId,
        userId: o.userId,
        name: o.name,
        size: o.size,
        status: 'available',
        availabilityZone: env.az,
        volumeTypeId: st.defaultTypeId,
        snapshotId: snapshot?.id ?? null,
        bootable: o.imageId !== undefined || (origin?.bootable ?? false),
        imageMetadata: o.imageId ? { image_id: o.imageId } : origin ? { ...origin.imageMetadata } : {},
      });
      st.volumes.set(vol.id, vol);
      return vol;
    },
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
        hostName: `${env.podName.toLowerCase()}-compute`,
        device,
        status: 'attached',
        mode: 'rw',
        attachedAt: cinderTime(),
        detachedAt: null,
        connector: null,
        projectId,
      };
      st.addAttachment(vol, att);
      vol.adminMetadata.readonly ??= 'False';
      vol.adminMetadata.attached_mode = 'rw';
      vol.status = 'in-use';
      st.touch(vol);
      return att;
    },
    detach(volumeId, serverId) {
      const vol = st.volumes.get(volumeId);
      if (!vol) throw new SimNotFound(`Volume ${volumeId} could not be found.`);
      const att = vol.attachments.find((a) => a.serverId === serverId);
      if (!att) {
        throw new SimNotFound(
          `Volume attachment could not be found with filter: instance_uuid = ${serverId}, volume_id = ${volumeId}.`,
        );
      }
      st.removeAttachment(vol, att);
      st.settleAttachStatus(vol);
    },
  };
}
