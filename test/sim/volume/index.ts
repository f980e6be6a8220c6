// PLACEHOLDER (branch `sim`): minimal stand-in for the Cinder simulator that the
// "Cinder + Glance" helper builds on branch `simvol`. It only satisfies the contract in
// /work/briefs/sim-contract.md so Nova's os-volume_attachments can be built and tested.
// The lead replaces this file with the real module when merging; keep the contract exact.
import { Hono } from 'hono';
import type { SimServiceEnv } from '../service-env';

export interface SimAttachment {
  id: string;
  attachment_id: string;
  volume_id: string;
  server_id: string;
  device: string;
  attached_at: string;
  host_name: string | null;
}

export interface SimVolume {
  id: string;
  name: string | null;
  status: string;
  size: number;
  availability_zone: string;
  project_id: string;
  attachments: SimAttachment[];
}

export class SimNotFound extends Error {
  readonly status = 404;
  override name = 'SimNotFound';
}
export class SimConflict extends Error {
  readonly status = 409;
  override name = 'SimConflict';
}

export interface VolumeService {
  app: Hono;
  volumes: Map<string, SimVolume>;
  attach(volumeId: string, serverId: string, device: string, projectId: string): SimAttachment;
  detach(volumeId: string, serverId: string): void;
  get(volumeId: string): SimVolume | undefined;
}

export function createVolumeService(env: SimServiceEnv): VolumeService {
  const app = new Hono();
  const volumes = new Map<string, SimVolume>();
  app.all('*', (c) => c.json({ itemNotFound: { code: 404, message: `placeholder Cinder of ${env.podName}` } }, 404));
  return {
    app,
    volumes,
    get: (id) => volumes.get(id),
    attach(volumeId, serverId, device, projectId) {
      const v = volumes.get(volumeId);
      if (!v || v.project_id !== projectId) throw new SimNotFound(`Volume ${volumeId} could not be found.`);
      if (v.status !== 'available') {
        throw new SimConflict(`Invalid volume: volume ${volumeId} status must be available, but current status is: ${v.status}`);
      }
      const id = crypto.randomUUID();
      const att: SimAttachment = {
        id: volumeId, attachment_id: id, volume_id: volumeId, server_id: serverId, device,
        attached_at: new Date().toISOString(), host_name: null,
      };
      v.attachments.push(att);
      v.status = 'in-use';
      return att;
    },
    detach(volumeId, serverId) {
      const v = volumes.get(volumeId);
      if (!v) throw new SimNotFound(`Volume ${volumeId} could not be found.`);
      v.attachments = v.attachments.filter((a) => a.server_id !== serverId);
      if (v.attachments.length === 0) v.status = 'available';
    },
  };
}
