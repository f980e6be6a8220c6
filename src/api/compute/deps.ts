/** What the compute API needs from the rest of the gateway: the shared service machinery. */
import type { GatewayEnv } from '../../http';
import type { ServiceDeps } from '../common';

export type ComputeDeps = ServiceDeps;
export type ComputeEnv = GatewayEnv;
