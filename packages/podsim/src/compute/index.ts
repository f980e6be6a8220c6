// Simulated Nova compute v2.1, mounted by the pod at /compute.
import type { Hono } from 'hono';
import type { SimServiceEnv } from '../service-env';
import type { ImageService } from '../image';
import type { VolumeService } from '../volume';
import { buildComputeApp } from './app';
import type { RegisterFn } from './deps';
import { seedFlavors } from './flavor-store';
import { registerServerActions } from './server-actions';
import { registerServers } from './servers';
import { registerServerMetadata } from './server-metadata';
import { registerServerExtras } from './server-extras';
import { registerVolumeAttachments } from './volume-attachments';
import { registerFlavors } from './flavors';
import { registerKeypairs } from './keypairs';
import { registerPodResources } from './pod-resources';
import { registerServerGroups } from './server-groups';
import { registerExtensions } from './extensions';
import { registerTenantUsage } from './tenant-usage';
import { registerServices } from './services';
import { registerMigrations } from './migrations';
import { registerConsoles } from './consoles';
import { registerAssistedSnapshots } from './assisted-snapshots';
import { registerVolumeProxy } from './volume-proxy';
import { ComputeState } from './state';

export { ComputeState, POWER } from './state';
export type { SimServer, SimFlavor, SimKeypair, SimInstanceAction, FlavorSnapshot } from './state';
export { SEED_FLAVORS } from './flavor-store';
export { classifyPath } from './app';
export { negotiate, parseVersion, versionHeaders } from './microversion';
export type { ApiVersion } from './microversion';

export interface ComputeService {
  /** Mount at '/compute'. */
  app: Hono;
  state: ComputeState;
}

/** Resource modules, in registration order (routes are matched in this order). */
const RESOURCES: RegisterFn[] = [
  registerServers, registerServerActions, registerServerMetadata, registerServerExtras, registerVolumeAttachments,
  registerFlavors, registerKeypairs, registerPodResources, registerServerGroups, registerExtensions, registerTenantUsage, registerServices, registerMigrations, registerConsoles, registerAssistedSnapshots, registerVolumeProxy,
];

/**
 * Build one pod's Nova.
 * @param env the pod's shared service environment (maxVersion = compute max microversion)
 * @param deps the pod's Cinder and Glance, used for attachments and imageRef checks
 */
export function createComputeService(env: SimServiceEnv, deps: { volumes: VolumeService; images: ImageService }): ComputeService {
  const state = new ComputeState(env.transitionMs);
  seedFlavors(state);
  const app = buildComputeApp({ env, state, volumes: deps.volumes, images: deps.images }, RESOURCES);
  return { app, state };
}
