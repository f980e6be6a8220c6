/** What the compute API needs from the rest of the gateway: the shared service machinery. */
import type { GatewayEnv, ServiceDeps } from '../common';

export type ComputeDeps = ServiceDeps;
export type ComputeEnv = GatewayEnv;
