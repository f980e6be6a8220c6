/**
 * Nova compute API v2.1 on the compute listener. Version documents need no token; everything
 * else negotiates the microversion (before auth, as Nova does), authenticates, fixes the project
 * scope, then dispatches from the route table below — read it top to bottom.
 */
import { Hono, type Context } from 'hono';
import { microversion, type GatewayEnv, type MicroversionSpec, parseVersion } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { versionsApp, COMPUTE_MIN_VERSION } from './versions';
import { projectScope } from './scope';
import { createServer } from './servers-create';
import { serverById } from './servers-by-id';
import { listServers } from './servers-list';
import { flavorCreate, flavorDelete, flavorDetailList, flavorIndex, flavorShow, flavorUpdate } from './flavors';
import { extraSpecDelete, extraSpecShow, extraSpecUpdate, extraSpecsCreate, extraSpecsIndex, flavorAccessIndex, flavorAction } from './flavor-specs-access';
import { computePolicy } from './policy';

export type { ComputeDeps } from './deps';
export { COMPUTE_MIN_VERSION } from './versions';

export function computeSpec(maxVersion: ComputeDeps['maxVersion']): MicroversionSpec {
  return { service: 'compute', legacyHeader: 'X-OpenStack-Nova-API-Version', min: parseVersion(COMPUTE_MIN_VERSION)!, max: maxVersion };
}

type Handler = (c: Context<ComputeEnv>) => Promise<Response> | Response;

/**
 * The route table. Each path is served with and without `{project_id}` (Nova's two URL forms);
 * the project scope runs per route so the two forms never see each other's middleware.
 */
function resources(given: ComputeDeps, api: Hono<ComputeEnv>): void {
  // Compute's own policy defaults (policy.ts) under whatever policy the operator configured.
  const deps: ComputeDeps = { ...given, policy: computePolicy(given.policy) };
  const table: [method: string, path: string, handler: Handler][] = [
    ['POST', '/servers', (c) => createServer(deps, c)],
    ['GET', '/servers', (c) => listServers(deps, c)],
    ['GET', '/servers/detail', (c) => listServers(deps, c)],
    ['ALL', '/servers/:id', (c) => serverById(deps, c)],
    ['ALL', '/servers/:id/*', (c) => serverById(deps, c)],
    // Flavors: the catalog the gateway owns (flavors.ts, flavor-specs-access.ts).
    ['GET', '/flavors', (c) => flavorIndex(deps, c)],
    ['GET', '/flavors/detail', (c) => flavorDetailList(deps, c)],
    ['POST', '/flavors', (c) => flavorCreate(deps, c)],
    ['GET', '/flavors/:flavor_id', (c) => flavorShow(deps, c)],
    ['PUT', '/flavors/:flavor_id', (c) => flavorUpdate(deps, c)],
    ['DELETE', '/flavors/:flavor_id', (c) => flavorDelete(deps, c)],
    ['POST', '/flavors/:flavor_id/action', (c) => flavorAction(deps, c)],
    ['GET', '/flavors/:flavor_id/os-flavor-access', (c) => flavorAccessIndex(deps, c)],
    ['GET', '/flavors/:flavor_id/os-extra_specs', (c) => extraSpecsIndex(deps, c)],
    ['POST', '/flavors/:flavor_id/os-extra_specs', (c) => extraSpecsCreate(deps, c)],
    ['GET', '/flavors/:flavor_id/os-extra_specs/:key', (c) => extraSpecShow(deps, c)],
    ['PUT', '/flavors/:flavor_id/os-extra_specs/:key', (c) => extraSpecUpdate(deps, c)],
    ['DELETE', '/flavors/:flavor_id/os-extra_specs/:key', (c) => extraSpecDelete(deps, c)],
  ];
  const scope = projectScope();
  for (const prefix of ['', '/:project_id']) {
    for (const [method, path, handler] of table) {
      if (method === 'ALL') api.all(prefix + path, scope, handler);
      else api.on(method, [prefix + path], scope, handler);
    }
  }
}

export function computeRoutes(deps: ComputeDeps): Hono<GatewayEnv> {
  const app = new Hono<ComputeEnv>({ strict: false });
  app.route('/', versionsApp(deps));
  const api = new Hono<ComputeEnv>({ strict: false });
  api.use('*', microversion(computeSpec(deps.maxVersion)));
  api.use('*', deps.auth);
  resources(deps, api);
  app.route('/v2.1', api);
  return app;
}
