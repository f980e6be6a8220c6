/** What the volume API needs from the rest of the gateway: the shared service machinery. */
import type { ServiceDeps } from '../common';
import type { VolumeRule } from './policy-rules';

export type VolumeDeps = ServiceDeps<VolumeRule>;
