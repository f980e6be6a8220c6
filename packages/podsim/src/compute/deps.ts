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
export type RegisterFn = (api: NovaApi, deps: NovaDeps) => void;
