/** What the compute API needs from the rest of the gateway: the shared service machinery. */
import type { GatewayEnv } from '../../http';
import type { ServiceDeps } from '../common';
import type { ComputeRule } from './policy-rules';

export type ComputeDeps = ServiceDeps<ComputeRule>;
export type ComputeEnv = GatewayEnv;
