/**
 * Nova compute API v2.1 on the compute listener. Version documents need no token; everything
 * else negotiates the microversion (before auth, as Nova does), authenticates, fixes the project
 * scope, then dispatches from the route table below — read it top to bottom.
 */
import { Hono } from 'hono';
import { microversion, parseVersion, type GatewayEnv, type MicroversionSpec } from '../../http';
import { mountRoutes, type FastByIdRoute, type RouteRow } from '../common';
import type { AuthenticateOptions } from '../../auth';
import type { ComputeDeps, ComputeEnv } from './deps';
import { versionsApp, COMPUTE_MIN_VERSION } from './versions';
import { createServer } from './servers-create';
import { HOOKED_SERVER_ACTIONS, serverById, serverByIdOptions } from './servers-by-id';
import { listServers } from './servers-list';
import { flavorCreate, flavorDelete, flavorDetailList, flavorIndex, flavorShow, flavorUpdate } from './flavors';
import { extraSpecDelete, extraSpecShow, extraSpecUpdate, extraSpecsCreate, extraSpecsIndex, flavorAccessIndex, flavorAction } from './flavor-specs-access';
import { azDetail, azIndex } from './availability-zones';
import { keypairCreate, keypairDelete, keypairIndex, keypairShow } from './keypairs';
import { imageDelete, imageDetailList, imageIndex, imageShow } from './images';
import { imageMetadataCreate, imageMetadataDelete, imageMetadataIndex, imageMetadataReplace, imageMetadataShow, imageMetadataUpdate } from './image-metadata';
import { aggregateAction, aggregateCreate, aggregateDelete, aggregateIndex, aggregateShow, aggregateUpdate } from './aggregates';
import { limitsIndex, quotaDefaults, quotaDelete, quotaDetail, quotaShow, quotaUpdate } from './quota-sets';
import { hypervisorsDetail, hypervisorsIndex, servicesIndex } from './services-hypervisors';
import { externalEventsCreate } from './external-events';
import { hypervisorById, hypervisorSearch, hypervisorStatistics, serviceDelete, serviceUpdate } from './pod-admin-by-id';
import { migrationsIndex } from './migrations';
import { refusedRoutes, volumesBoot } from './refused';
import { hostById, hostsIndex } from './hosts';
import { assistedSnapshotCreate, assistedSnapshotDelete } from './assisted-snapshots';
import { auditLog, consoleAuthToken, extensionShow, extensionsIndex } from './pod-reports';
import { quotaClassShow, quotaClassUpdate } from './quota-class-sets';
import { tenantUsageIndex, tenantUsageShow } from './tenant-usage';
import { serverGroupById, serverGroupCreate, serverGroupIndex } from './server-groups';
import { snapshotProxyCreate, volumeProxyById, volumeProxyCreate, volumeProxyList } from './volume-proxy';

export type { ComputeDeps } from './deps';
export { COMPUTE_MIN_VERSION } from './versions';
export { REFUSAL_MESSAGES, refusedWith501 } from './refused';

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
    // Nova's old alias of /servers, its paths only, up to 2.102 (volumes_boot.py); pods serve it too.
    ['POST', '/os-volumes_boot', (c) => volumesBoot(c, () => createServer(deps, c))],
    ['GET', '/os-volumes_boot', (c) => volumesBoot(c, () => listServers(deps, c))],
    ['GET', '/os-volumes_boot/detail', (c) => volumesBoot(c, () => listServers(deps, c))],
    ['ALL', '/os-volumes_boot/:id', (c) => volumesBoot(c, () => serverById(deps, c))],
    ['POST', '/os-volumes_boot/:id/action', (c) => volumesBoot(c, () => serverById(deps, c))],
    // Server groups: each lives in one pod, routed like a server (server-groups.ts).
    ['POST', '/os-server-groups', (c) => serverGroupCreate(deps, c)],
    ['GET', '/os-server-groups', (c) => serverGroupIndex(deps, c)],
    ['ALL', '/os-server-groups/:id', (c) => serverGroupById(deps, c)],
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
    ['GET', '/images/:image_id/metadata', (c) => imageMetadataIndex(deps, c)],
    ['POST', '/images/:image_id/metadata', (c) => imageMetadataCreate(deps, c)],
    ['PUT', '/images/:image_id/metadata', (c) => imageMetadataReplace(deps, c)],
    ['GET', '/images/:image_id/metadata/:key', (c) => imageMetadataShow(deps, c)],
    ['PUT', '/images/:image_id/metadata/:key', (c) => imageMetadataUpdate(deps, c)],
    ['DELETE', '/images/:image_id/metadata/:key', (c) => imageMetadataDelete(deps, c)],
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
    ['GET', '/os-quota-class-sets/:id', (c) => quotaClassShow(deps, c)],
    ['PUT', '/os-quota-class-sets/:id', (c) => quotaClassUpdate(deps, c)],
    // Pod-level admin listings, fanned out (services-hypervisors.ts), and external events (external-events.ts).
    ['GET', '/os-services', (c) => servicesIndex(deps, c)],
    ['GET', '/os-hypervisors', (c) => hypervisorsIndex(deps, c)],
    ['GET', '/os-hypervisors/detail', (c) => hypervisorsDetail(deps, c)],
    ['GET', '/os-hypervisors/statistics', (c) => hypervisorStatistics(deps, c)],
    ['GET', '/os-hypervisors/:id', (c) => hypervisorById(deps, c, '')],
    ['GET', '/os-hypervisors/:id/uptime', (c) => hypervisorById(deps, c, '/uptime')],
    ['GET', '/os-hypervisors/:id/search', (c) => hypervisorSearch(deps, c, 'search')],
    ['GET', '/os-hypervisors/:id/servers', (c) => hypervisorSearch(deps, c, 'servers')],
    ['GET', '/os-migrations', (c) => migrationsIndex(deps, c)],
    // Reports every pod gives for itself, merged (pod-reports.ts).
    ['GET', '/extensions', (c) => extensionsIndex(deps, c)],
    ['GET', '/extensions/:alias', (c) => extensionShow(deps, c)],
    ['GET', '/os-instance_usage_audit_log', (c) => auditLog(deps, c)],
    ['GET', '/os-instance_usage_audit_log/:before', (c) => auditLog(deps, c)],
    ['GET', '/os-console-auth-tokens/:token', (c) => consoleAuthToken(deps, c)],
    // A service by the id the list gave it (2.53), or by host and binary below (pod-admin-by-id.ts).
    ['PUT', '/os-services/:id', (c) => serviceUpdate(deps, c)],
    ['DELETE', '/os-services/:id', (c) => serviceDelete(deps, c)],
    // Nova's host administration (below 2.43): listed from every pod, a host's calls routed to its pod (hosts.ts).
    ['GET', '/os-hosts', (c) => hostsIndex(deps, c)],
    ['GET', '/os-hosts/:host', (c) => hostById(deps, c, 'show')],
    ['PUT', '/os-hosts/:host', (c) => hostById(deps, c, 'update')],
    ['GET', '/os-hosts/:host/startup', (c) => hostById(deps, c, 'startup')],
    ['GET', '/os-hosts/:host/shutdown', (c) => hostById(deps, c, 'shutdown')],
    ['GET', '/os-hosts/:host/reboot', (c) => hostById(deps, c, 'reboot')],
    // Usage, summed across pods as Nova sums it across cells (tenant-usage.ts).
    ['GET', '/os-simple-tenant-usage', (c) => tenantUsageIndex(deps, c)],
    ['GET', '/os-simple-tenant-usage/:tenant_id', (c) => tenantUsageShow(deps, c)],
    ['POST', '/os-server-external-events', (c) => externalEventsCreate(deps, c)],
    ['POST', '/os-assisted-volume-snapshots', (c) => assistedSnapshotCreate(deps, c)],
    ['DELETE', '/os-assisted-volume-snapshots/:id', (c) => assistedSnapshotDelete(deps, c)],
    // Nova's proxies to Cinder, up to 2.35: routed as the volume API routes volumes and snapshots (volume-proxy.ts).
    ['POST', '/os-volumes', (c) => volumeProxyCreate(deps, c)],
    ['GET', '/os-volumes', (c) => volumeProxyList(deps, c, 'volumes')],
    ['GET', '/os-volumes/detail', (c) => volumeProxyList(deps, c, 'volumes')],
    ['ALL', '/os-volumes/:id', (c) => volumeProxyById(deps, c, 'volumes')],
    ['POST', '/os-snapshots', (c) => snapshotProxyCreate(deps, c)],
    ['GET', '/os-snapshots', (c) => volumeProxyList(deps, c, 'snapshots')],
    ['GET', '/os-snapshots/detail', (c) => volumeProxyList(deps, c, 'snapshots')],
    ['ALL', '/os-snapshots/:id', (c) => volumeProxyById(deps, c, 'snapshots')],
    // Deliberately not served, each with Nova's answer for a missing feature (refused.ts).
    ...refusedRoutes(),
  ];
}

/**
 * `GET`/`PUT /v2.1/{p}/servers/{id}` and `POST …/action` with an action no hook reads: what
 * `serverById` forwards unchanged, for the listener to serve below the framework.
 */
export function computeFastRoute(deps: ComputeDeps, auth: AuthenticateOptions): FastByIdRoute {
  return {
    versionPrefix: '/v2.1',
    byId: serverByIdOptions(deps),
    passThroughAction: (action) => !HOOKED_SERVER_ACTIONS.has(action),
    rows: resources(deps),
    spec: computeSpec(deps.maxVersion),
    auth,
    deps,
    versionsReady: deps.versionsReady,
  };
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
