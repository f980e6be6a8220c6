// What every Nova resource module receives: the pod's state and its sibling services.
import type { Hono } from 'hono';
import type { SimServiceEnv } from '../service-env';
import type { ImageService } from '../image';
import type { VolumeService } from '../volume';
import type { NovaEnv } from './context';
import type { ComputeState } from './state';

export interface NovaDeps {
  env: SimServiceEnv;
  state: ComputeState;
  volumes: VolumeService;
  images: ImageService;
}

export type NovaApi = Hono<NovaEnv>;

/** The zone of the pod's one compute host now: its aggregate's zone, else the pod's default. */
export function computeHostZone(deps: NovaDeps): string {
  return deps.state.hostAggregateZone ?? deps.env.az;
}
export type RegisterFn = (api: NovaApi, deps: NovaDeps) => void;
