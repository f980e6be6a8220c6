export type { GatewayEnv } from '../api/common/env';
