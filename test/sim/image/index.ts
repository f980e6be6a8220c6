// PLACEHOLDER (branch `sim`): minimal stand-in for the Glance simulator that the
// "Cinder + Glance" helper builds on branch `simvol`. It only satisfies the contract in
// /work/briefs/sim-contract.md (seeded cirros image, get()) so Nova can check imageRef.
// The lead replaces this file with the real module when merging; keep the contract exact.
import { Hono } from 'hono';
import type { SimServiceEnv } from '../service-env';

/** Fixed id of the seeded cirros image, the one every test boots. */
export const CIRROS_IMAGE_ID = '4a5d4e5e-8a3b-4c5f-9b38-3f1b2a6c0e01';

export interface SimImage {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  owner: string | null;
  container_format: string | null;
  disk_format: string | null;
  size: number | null;
  min_disk: number;
  min_ram: number;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}

export interface ImageService {
  app: Hono;
  images: Map<string, SimImage>;
  get(id: string): SimImage | undefined;
}

export function createImageService(env: SimServiceEnv): ImageService {
  const app = new Hono();
  const images = new Map<string, SimImage>();
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  images.set(CIRROS_IMAGE_ID, {
    id: CIRROS_IMAGE_ID, name: 'cirros-0.6.2-x86_64-disk', status: 'active', visibility: 'public',
    owner: null, container_format: 'bare', disk_format: 'qcow2', size: 21430272,
    min_disk: 0, min_ram: 0, created_at: now, updated_at: now,
  });
  app.all('*', (c) => c.json({ message: `placeholder Glance of ${env.podName}` }, 404));
  return { app, images, get: (id) => images.get(id) };
}
