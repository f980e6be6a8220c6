/** Listener assembly and process-level start/stop of the gateway. */
export { startGateway, buildGateway, COMPUTE_CEILING, VOLUME_CEILING, type Gateway, type GatewayOptions, type GatewayParts } from './gateway';
export type { GatewayEnv } from '../http';
