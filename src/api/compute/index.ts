/**
 * Nova compute API v2.1 on the compute listener. Version documents need no token; everything
 * else negotiates the microversion (before auth, as Nova does), authenticates, fixes the project
 * scope, then dispatches from the route table below — read it top to bottom.
 */
import { Hono } from 'hono';
import { microversion, mountRoutes, type GatewayEnv, type MicroversionSpec, parseVersion, type RouteRow } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { versionsApp, COMPUTE_MIN_VERSION } from './versions';
import { createServer } from './servers-create';
import { serverById } from './servers-by-id';
import { listServers } from './servers-list';

export type { ComputeDeps } from './deps';
export { COMPUTE_MIN_VERSION } from './versions';

export function computeSpec(maxVersion: ComputeDeps['maxVersion']): MicroversionSpec {
  return { service: 'compute', legacyHeader: 'X-OpenStack-Nova-API-Version', min: parseVersion(COMPUTE_MIN_VERSION)!, max: maxVersion };
}

/** The route table, served with and without `{project_id}` (Nova's two URL forms). */
function resources(deps: ComputeDeps): RouteRow[] {
  return [
    ['POST', '/servers', (c) => createServer(deps, c)],
    ['GET', '/servers', (c) => listServers(deps, c)],
    ['GET', '/servers/detail', (c) => listServers(deps, c)],
    ['ALL', '/servers/:id', (c) => serverById(deps, c)],
    ['ALL', '/servers/:id/*', (c) => serverById(deps, c)],
  ];
}

export function computeRoutes(deps: ComputeDeps): Hono<GatewayEnv> {
  const app = new Hono<ComputeEnv>({ strict: false });
  app.route('/', versionsApp(deps));
  const api = new Hono<ComputeEnv>({ strict: false });
  api.use('*', microversion(computeSpec(deps.maxVersion)));
  api.use('*', deps.auth);
  mountRoutes(api, resources(deps));
  app.route('/v2.1', api);
  return app;
}
