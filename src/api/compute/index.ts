/**
 * Nova compute API v2.1 on the compute listener. Version documents need no token; everything
 * else negotiates the microversion (before auth, as Nova does), authenticates, fixes the project
 * scope, then dispatches from the route table below — read it top to bottom.
 */
import { Hono } from 'hono';
import { microversion, parseVersion, type GatewayEnv, type MicroversionSpec } from '../../http';
import { mountRoutes, type RouteRow } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { versionsApp, COMPUTE_MIN_VERSION } from './versions';
import { createServer } from './servers-create';
import { serverById } from './servers-by-id';
import { listServers } from './servers-list';
import { flavorCreate, flavorDelete, flavorDetailList, flavorIndex, flavorShow, flavorUpdate } from './flavors';
import { extraSpecDelete, extraSpecShow, extraSpecUpdate, extraSpecsCreate, extraSpecsIndex, flavorAccessIndex, flavorAction } from './flavor-specs-access';
import { azDetail, azIndex } from './availability-zones';
import { keypairCreate, keypairDelete, keypairIndex, keypairShow } from './keypairs';
import { imageDelete, imageDetailList, imageIndex, imageShow } from './images';
import { aggregateAction, aggregateCreate, aggregateDelete, aggregateIndex, aggregateShow, aggregateUpdate } from './aggregates';
import { limitsIndex, quotaDefaults, quotaDelete, quotaDetail, quotaShow, quotaUpdate } from './quota-sets';
import { hypervisorsDetail, hypervisorsIndex, servicesIndex } from './services-hypervisors';
import { externalEventsCreate } from './external-events';

export type { ComputeDeps } from './deps';
export { COMPUTE_MIN_VERSION } from './versions';

export function computeSpec(maxVersion: ComputeDeps['maxVersion']): MicroversionSpec {
  return { service: 'compute', legacyHeader: 'X-OpenStack-Nova-API-Version', min: parseVersion(COMPUTE_MIN_VERSION)!, max: maxVersion };
}

/** The route table, served with and without `{project_id}` (Nova's two URL forms); exported for tests that walk every route. */
export function resources(deps: ComputeDeps): RouteRow[] {
  return [
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
    // Availability zones: the pods' top AZs (availability-zones.ts).
    ['GET', '/os-availability-zone', (c) => azIndex(deps, c)],
    ['GET', '/os-availability-zone/detail', (c) => azDetail(deps, c)],
    // Keypairs: kept at the top per user, copied to a pod on boot (keypairs.ts, keypair-handoff.ts).
    ['GET', '/os-keypairs', (c) => keypairIndex(deps, c)],
    ['POST', '/os-keypairs', (c) => keypairCreate(deps, c)],
    ['GET', '/os-keypairs/:name', (c) => keypairShow(deps, c)],
    ['DELETE', '/os-keypairs/:name', (c) => keypairDelete(deps, c)],
    // Images: Nova's proxy over the top region's Glance, up to 2.35 (images.ts).
    ['GET', '/images', (c) => imageIndex(deps, c)],
    ['GET', '/images/detail', (c) => imageDetailList(deps, c)],
    ['GET', '/images/:image_id', (c) => imageShow(deps, c)],
    ['DELETE', '/images/:image_id', (c) => imageDelete(deps, c)],
    // Aggregates: kept at the top, one per pod added automatically (aggregates.ts).
    ['GET', '/os-aggregates', (c) => aggregateIndex(deps, c)],
    ['POST', '/os-aggregates', (c) => aggregateCreate(deps, c)],
    ['GET', '/os-aggregates/:id', (c) => aggregateShow(deps, c)],
    ['PUT', '/os-aggregates/:id', (c) => aggregateUpdate(deps, c)],
    ['DELETE', '/os-aggregates/:id', (c) => aggregateDelete(deps, c)],
    ['POST', '/os-aggregates/:id/action', (c) => aggregateAction(deps, c)],
    // Quotas and limits, stored at the top (quota-sets.ts).
    ['GET', '/os-quota-sets/:tenant_id/defaults', (c) => quotaDefaults(deps, c)],
    ['GET', '/os-quota-sets/:tenant_id/detail', (c) => quotaDetail(deps, c)],
    ['GET', '/os-quota-sets/:tenant_id', (c) => quotaShow(deps, c)],
    ['PUT', '/os-quota-sets/:tenant_id', (c) => quotaUpdate(deps, c)],
    ['DELETE', '/os-quota-sets/:tenant_id', (c) => quotaDelete(deps, c)],
    ['GET', '/limits', (c) => limitsIndex(deps, c)],
    // Pod-level admin listings, fanned out (services-hypervisors.ts), and external events (external-events.ts).
    ['GET', '/os-services', (c) => servicesIndex(deps, c)],
    ['GET', '/os-hypervisors', (c) => hypervisorsIndex(deps, c)],
    ['GET', '/os-hypervisors/detail', (c) => hypervisorsDetail(deps, c)],
    ['POST', '/os-server-external-events', (c) => externalEventsCreate(deps, c)],
  ];
}

export function computeRoutes(deps: ComputeDeps): Hono<GatewayEnv> {
  const app = new Hono<ComputeEnv>({ strict: false });
  // The version documents and the negotiation read the maximum: not before the pods were asked.
  if (deps.versionsReady) {
    const ready = deps.versionsReady;
    app.use('*', async (_c, next) => {
      await ready();
      return next();
    });
  }
  app.route('/', versionsApp(deps));
  const api = new Hono<ComputeEnv>({ strict: false });
  api.use('*', microversion(computeSpec(deps.maxVersion)));
  api.use('*', deps.auth);
  mountRoutes(api, resources(deps));
  app.route('/v2.1', api);
  return app;
}
