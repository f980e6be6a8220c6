// Pod simulator: one fake OpenStack pod (Nova + Cinder + Glance) per HTTP server.
export { startSimPod, createSharedImages, DEFAULTS } from './pod';
export type { SimPod, SimPodOptions } from './pod';
export type { SimFault, SimMatch, SimRequest, SimIdentity, SimServiceEnv } from './service-env';
export { createIdentify, TOKEN_CACHE_MS, DEFAULT_USER_ID } from './identity';
export type { SimAuth, IdentifyFn } from './identity';
export { CIRROS_IMAGE_ID } from './image';
export { SEED_FLAVORS, POWER } from './compute';
export type { SimServer, SimFlavor, SimKeypair, ComputeState } from './compute';
