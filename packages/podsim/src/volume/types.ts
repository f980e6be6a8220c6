// Types of the simulated Cinder service: the env shared with the pod (pod.ts mounts the
// service) and the in-memory records the routes work on.
// Records keep Cinder's internal names close to its DB model so views can map
// them the way cinder/api/v3/views/*.py do.

// The env is the pod's (service-env.ts): one definition for every service.
export type { SimIdentity, SimServiceEnv } from '../service-env';

/** One volume attachment (Cinder's volume_attachment row). */
export interface SimAttachment {
  id: string;
  volumeId: string;
  serverId: string | null;
  hostName: string | null;
  device: string | null;
  /** Cinder attach_status: only 'attached' ones show in the volume view. */
  status: 'reserved' | 'attaching' | 'attached' | 'detached';
  mode: 'rw' | 'ro';
  attachedAt: string | null;
  detachedAt: string | null;
  connector: Record<string, unknown> | null;
  projectId: string;
}

export interface SimVolume {
  id: string;
  projectId: string;
  userId: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  availabilityZone: string;
  volumeTypeId: string;
  snapshotId: string | null;
  sourceVolid: string | null;
  backupId: string | null;
  bootable: boolean;
  multiattach: boolean;
  metadata: Record<string, string>;
  /** Admin metadata; 'readonly' and 'attached_mode' are shown in metadata, as Cinder does. */
  adminMetadata: Record<string, string>;
  /** Glance properties copied at create-from-image (volume_image_metadata). */
  imageMetadata: Record<string, string>;
  attachments: SimAttachment[];
  migrationStatus: string | null;
  replicationStatus: string | null;
  host: string;
  serviceUuid: string;
  groupId: string | null;
  consistencygroupId: string | null;
  createdAt: string;
  updatedAt: string | null;
  /** Status before an operation that uses an intermediate status (extend, retype, upload). */
  previousStatus: string | null;
}

export interface SimSnapshot {
  id: string;
  projectId: string;
  userId: string;
  volumeId: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
  /** Set by os-update_snapshot_status; otherwise derived from the status. */
  progress?: string;
}

export interface SimBackup {
  id: string;
  projectId: string;
  userId: string;
  volumeId: string;
  snapshotId: string | null;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  container: string | null;
  availabilityZone: string;
  incremental: boolean;
  metadata: Record<string, string>;
  failReason: string | null;
  createdAt: string;
  updatedAt: string | null;
  dataTimestamp: string;
}

export interface SimVolumeType {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  extraSpecs: Record<string, string>;
  /** Projects granted access to a private type (os-volume-type-access). */
  access: Set<string>;
  qosSpecsId: string | null;
}
