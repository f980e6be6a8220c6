/**
 * Cinder volume API v3 on the volume listener
 * (https://docs.openstack.org/api-ref/block-storage/v3/). Version documents need no token;
 * everything else negotiates the volume microversion (Cinder's rules), then authenticates, fixes
 * the project scope and dispatches from the route table below — read it top to bottom. Four kinds
 * of handler: routed creates, the generic by-id pass-through, collections, and what the gateway
 * owns (types, quotas, AZs).
 */
import { Hono, type Context } from 'hono';
import { authorize } from '../../auth';
import { badRequest, microversion, notFound, parseVersion, type GatewayEnv, type MicroversionSpec } from '../../http';
import { mountRoutes, type RouteRow } from '../common';
import { fanoutList } from '../../fanout';
import { cinderListSpec } from './list-spec';
import { typeIdMap } from './type-ids';
import type { VolumeDeps } from './deps';
import { versionsApp, VOLUME_MIN_VERSION } from './versions';
import { createVolume } from './volumes-create';
import { volumeById } from './volumes-by-id';
import { volumeSummary } from './summary';
import { listAttachments } from './list';
import { createSnapshot, snapshotById } from './snapshots';
import { backupById, createBackup } from './backups';
import { attachmentById, createAttachment } from './attachments';
import { createType, deleteType, listTypes, showType, updateType } from './types';
import { deleteSpec, listAccess, listSpecs, putSpec, setSpecs, showSpec, typeAction } from './type-extras';
import { listZones } from './zones';
import { listMessages, messageById } from './messages';
import { createGroup, createGroupFromSource, createGroupSnapshot, groupById, listGroups } from './groups';
import { createGroupType, deleteGroupSpec, deleteGroupType, listGroupSpecs, listGroupTypes, setGroupSpecs, showGroupSpec, showGroupType, updateGroupType } from './group-types';
import { NOT_SERVED } from './merged-list';
import { createQos, deleteQos, deleteQosKeys, listQos, qosAssociate, qosAssociations, showQos, updateQos } from './qos-specs';
import { listDefaultTypes, setDefaultType, showDefaultType, showTypeDefault, unsetDefaultType } from './default-types';
import { createEncryption, deleteEncryption, showEncryption, showEncryptionKey, updateEncryption } from './type-encryption';
import {
  clusterRouted,
  listClusters,
  listExtensions,
  listHosts,
  listPools,
  listServices,
  manageableSnapshots,
  manageableVolumes,
  manageSnapshot,
  manageVolume,
  resourceFilters,
  serviceAction,
  showCapabilities,
  showHost,
  workersCleanup,
} from './backends';
import { acceptTransfer, createTransfer, listTransfers, transferById } from './transfers';
import { defaultQuotas, deleteQuotas, showLimits, showQuotaClass, showQuotas, updateQuotaClass, updateQuotas } from './quotas';

export type { VolumeDeps } from './deps';
export { VOLUME_MIN_VERSION } from './versions';
export { DEFAULT_VOLUME_QUOTAS } from './quota-limits';
// What Nova's volume proxy (api/compute) shares with the volume API: placement, quotas, routing.
export { placeVolumeCreate } from './volumes-create';
export { checkSnapshotCreate, recordCost, sourceCost } from './volume-quota';
export { MISSING, podOf } from './same-pod';

/**
 * `POST /backups/import_record` (admin, `backup:backup-import`) names a backup store by URL only;
 * which pod's backup service holds that data is nothing the gateway can tell (each pod has its
 * own), and importing into the wrong pod makes a record whose restore fails. Refused with a 400
 * saying so: import in the pod, then adopt the backup with `POST /v1.0/routings`.
 * (`GET /backups/{id}/export_record` is routed like every backup by id.)
 */
function refuseImportRecord(deps: VolumeDeps, c: Context<GatewayEnv>): never {
  authorize(deps.policy, c.get('auth'), 'backup:backup-import');
  throw badRequest(
    "Invalid input received: importing a backup record is not available through the gateway: the record does not say which pod's backup service holds its data. Import it in that pod and adopt the backup with POST /v1.0/routings.",
  );
}

export function volumeSpec(maxVersion: VolumeDeps['maxVersion']): MicroversionSpec {
  return { service: 'volume', min: parseVersion(VOLUME_MIN_VERSION)!, max: maxVersion, rules: 'cinder' };
}

export function resources(deps: VolumeDeps): RouteRow[] {
  // Volumes, snapshots and backups: the generic parallel fan-out with a k-way merge, markers
  // across pods and partial results (src/fanout); its AZ filter picks pods by top AZ.
  const fanned = (collection: 'volumes' | 'snapshots' | 'backups', detail: boolean) => async (c: Context<GatewayEnv>) =>
    fanoutList(deps, c, cinderListSpec({ collection, detail, projectId: c.get('projectId'), typeIds: collection === 'volumes' ? await typeIdMap(deps.store) : undefined }));
  const volumes = fanned('volumes', false);
  const volumesDetail = fanned('volumes', true);
  const snapshots = fanned('snapshots', false);
  const snapshotsDetail = fanned('snapshots', true);
  const backups = fanned('backups', false);
  const backupsDetail = fanned('backups', true);
  // Attachments made by Nova inside a pod have no routing of their own: they belong to the
  // project through their volume.
  const attachments = (c: Context<GatewayEnv>) => listAttachments(deps, c);
  return [
    ['POST', '/volumes', (c) => createVolume(deps, c)],
    ['GET', '/volumes', volumes],
    ['GET', '/volumes/detail', volumesDetail],
    ['GET', '/volumes/summary', (c) => volumeSummary(deps, c)],
    ['ALL', '/volumes/:id', (c) => volumeById(deps, c)],
    ['ALL', '/volumes/:id/*', (c) => volumeById(deps, c)],

    ['POST', '/snapshots', (c) => createSnapshot(deps, c)],
    ['GET', '/snapshots', snapshots],
    ['GET', '/snapshots/detail', snapshotsDetail],
    ['ALL', '/snapshots/:id', (c) => snapshotById(deps, c)],
    ['ALL', '/snapshots/:id/*', (c) => snapshotById(deps, c)],

    ['POST', '/backups', (c) => createBackup(deps, c)],
    ['GET', '/backups', backups],
    ['GET', '/backups/detail', backupsDetail],
    ['POST', '/backups/import_record', (c) => refuseImportRecord(deps, c)],
    ['ALL', '/backups/:id', (c) => backupById(deps, c)],
    ['ALL', '/backups/:id/*', (c) => backupById(deps, c)],

    ['POST', '/attachments', (c) => createAttachment(deps, c)],
    ['GET', '/attachments', attachments],
    ['GET', '/attachments/detail', attachments],
    // Cinder's router has `attachments/summary` but its controller no such action: 404.
    ['GET', '/attachments/summary', () => { throw notFound(NOT_SERVED); }],
    ['ALL', '/attachments/:id', (c) => attachmentById(deps, c)],
    ['ALL', '/attachments/:id/*', (c) => attachmentById(deps, c)],

    // Volume transfers: the extension's path at every microversion, the 3.55 resource's too.
    ...(['os-volume-transfer', 'volume-transfers'] as const).flatMap((t): RouteRow[] => [
      ['POST', `/${t}`, (c) => createTransfer(deps, c)],
      ['GET', `/${t}`, (c) => listTransfers(deps, c, t, false)],
      ['GET', `/${t}/detail`, (c) => listTransfers(deps, c, t, true)],
      ['POST', `/${t}/:id/accept`, (c) => acceptTransfer(deps, c, t)],
      ['ALL', `/${t}/:id`, (c) => transferById(deps, c, t)],
    ]),

    ['GET', '/messages', (c) => listMessages(deps, c)],
    ['ALL', '/messages/:id', (c) => messageById(deps, c)],

    // Groups, group snapshots and their consistency-group names: routed like volumes (groups.ts);
    // group types: a catalog owned at the top (group-types.ts).
    ...(['groups', 'consistencygroups'] as const).flatMap((g): RouteRow[] => [
      ['POST', `/${g}`, (c) => createGroup(deps, c, g)],
      ['GET', `/${g}`, (c) => listGroups(deps, c, g, false)],
      ['GET', `/${g}/detail`, (c) => listGroups(deps, c, g, true)],
      ['POST', g === 'groups' ? '/groups/action' : '/consistencygroups/create_from_src', (c) => createGroupFromSource(deps, c, g)],
      ['ALL', `/${g}/:id`, (c) => groupById(deps, c, g)],
      ['ALL', `/${g}/:id/*`, (c) => groupById(deps, c, g)],
    ]),
    ...(['group_snapshots', 'cgsnapshots'] as const).flatMap((g): RouteRow[] => [
      ['POST', `/${g}`, (c) => createGroupSnapshot(deps, c, g)],
      ['GET', `/${g}`, (c) => listGroups(deps, c, g, false)],
      ['GET', `/${g}/detail`, (c) => listGroups(deps, c, g, true)],
      ['ALL', `/${g}/:id`, (c) => groupById(deps, c, g)],
      ['ALL', `/${g}/:id/*`, (c) => groupById(deps, c, g)],
    ]),
    ['GET', '/group_types', (c) => listGroupTypes(deps, c)],
    ['POST', '/group_types', (c) => createGroupType(deps, c)],
    ['GET', '/group_types/:id', (c) => showGroupType(deps, c)],
    ['PUT', '/group_types/:id', (c) => updateGroupType(deps, c)],
    ['DELETE', '/group_types/:id', (c) => deleteGroupType(deps, c)],
    ['GET', '/group_types/:id/group_specs', (c) => listGroupSpecs(deps, c)],
    ['POST', '/group_types/:id/group_specs', (c) => setGroupSpecs(deps, c)],
    ['GET', '/group_types/:id/group_specs/:key', (c) => showGroupSpec(deps, c)],
    ['PUT', '/group_types/:id/group_specs/:key', (c) => setGroupSpecs(deps, c)],
    ['DELETE', '/group_types/:id/group_specs/:key', (c) => deleteGroupSpec(deps, c)],

    ['GET', '/types', (c) => listTypes(deps, c)],
    ['POST', '/types', (c) => createType(deps, c)],
    ['GET', '/types/default', (c) => showTypeDefault(deps, c)],
    ['GET', '/types/:id', (c) => showType(deps, c)],
    ['PUT', '/types/:id', (c) => updateType(deps, c)],
    ['DELETE', '/types/:id', (c) => deleteType(deps, c)],
    ['GET', '/types/:id/extra_specs', (c) => listSpecs(deps, c)],
    ['POST', '/types/:id/extra_specs', (c) => setSpecs(deps, c)],
    ['GET', '/types/:id/extra_specs/:key', (c) => showSpec(deps, c)],
    ['PUT', '/types/:id/extra_specs/:key', (c) => putSpec(deps, c)],
    ['DELETE', '/types/:id/extra_specs/:key', (c) => deleteSpec(deps, c)],
    ['GET', '/types/:id/os-volume-type-access', (c) => listAccess(deps, c)],
    ['POST', '/types/:id/action', (c) => typeAction(deps, c)],
    ['GET', '/types/:id/encryption', (c) => showEncryption(deps, c)],
    ['POST', '/types/:id/encryption', (c) => createEncryption(deps, c)],
    ['GET', '/types/:id/encryption/:key', (c) => showEncryptionKey(deps, c)],
    ['PUT', '/types/:id/encryption/:eid', (c) => updateEncryption(deps, c)],
    ['DELETE', '/types/:id/encryption/:eid', (c) => deleteEncryption(deps, c)],

    // QoS specs and per-project default types: catalogs owned at the top, pushed to the pods.
    ['GET', '/qos-specs', (c) => listQos(deps, c)],
    ['POST', '/qos-specs', (c) => createQos(deps, c)],
    ['GET', '/qos-specs/:id', (c) => showQos(deps, c)],
    ['PUT', '/qos-specs/:id', (c) => updateQos(deps, c)],
    ['DELETE', '/qos-specs/:id', (c) => deleteQos(deps, c)],
    ['PUT', '/qos-specs/:id/delete_keys', (c) => deleteQosKeys(deps, c)],
    ['GET', '/qos-specs/:id/associations', (c) => qosAssociations(deps, c)],
    ['GET', '/qos-specs/:id/:action', (c) => qosAssociate(deps, c)],
    ['GET', '/default-types', (c) => listDefaultTypes(deps, c)],
    ['GET', '/default-types/:project', (c) => showDefaultType(deps, c)],
    ['PUT', '/default-types/:project', (c) => setDefaultType(deps, c)],
    ['DELETE', '/default-types/:project', (c) => unsetDefaultType(deps, c)],

    // The pods' backends, admin-only: fanned out, or routed by host or cluster (backends.ts).
    ['GET', '/os-services', (c) => listServices(deps, c)],
    ['PUT', '/os-services/:action', (c) => serviceAction(deps, c)],
    ['GET', '/os-hosts', (c) => listHosts(deps, c)],
    ['GET', '/os-hosts/:host', (c) => showHost(deps, c)],
    ['GET', '/scheduler-stats/get_pools', (c) => listPools(deps, c)],
    ['GET', '/capabilities/:host', (c) => showCapabilities(deps, c)],
    ['GET', '/clusters', (c) => listClusters(deps, c)],
    ['GET', '/clusters/detail', (c) => listClusters(deps, c)],
    ['PUT', '/clusters/:action', (c) => clusterRouted(deps, c)],
    ['GET', '/clusters/:name', (c) => clusterRouted(deps, c)],
    ['POST', '/workers/cleanup', (c) => workersCleanup(deps, c)],
    ['GET', '/manageable_volumes', (c) => manageableVolumes(deps, c)],
    ['GET', '/manageable_volumes/detail', (c) => manageableVolumes(deps, c)],
    ['GET', '/manageable_snapshots', (c) => manageableSnapshots(deps, c)],
    ['GET', '/manageable_snapshots/detail', (c) => manageableSnapshots(deps, c)],
    ['POST', '/os-volume-manage', (c) => manageVolume(deps, c)],
    ['POST', '/os-snapshot-manage', (c) => manageSnapshot(deps, c)],
    ['GET', '/resource_filters', (c) => resourceFilters(deps, c)],
    ['GET', '/extensions', (c) => listExtensions(deps, c)],

    ['GET', '/os-availability-zone', (c) => listZones(deps, c)],
    ['GET', '/limits', (c) => showLimits(deps, c)],
    ['GET', '/os-quota-sets/:target', (c) => showQuotas(deps, c)],
    ['GET', '/os-quota-sets/:target/defaults', (c) => defaultQuotas(deps, c)],
    ['PUT', '/os-quota-sets/:target', (c) => updateQuotas(deps, c)],
    ['DELETE', '/os-quota-sets/:target', (c) => deleteQuotas(deps, c)],
    ['GET', '/os-quota-class-sets/:class', (c) => showQuotaClass(deps, c)],
    ['PUT', '/os-quota-class-sets/:class', (c) => updateQuotaClass(deps, c)],
  ];
}

export function volumeRoutes(deps: VolumeDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>({ strict: false });
  // The version documents and the negotiation read the maximum: not before the pods were asked.
  if (deps.versionsReady) {
    const ready = deps.versionsReady;
    app.use('*', async (_c, next) => {
      await ready();
      return next();
    });
  }
  app.route('/', versionsApp(deps));
  const api = new Hono<GatewayEnv>({ strict: false });
  api.use('*', microversion(volumeSpec(deps.maxVersion)));
  api.use('*', deps.auth);
  mountRoutes(api, resources(deps));
  app.route('/v3', api);
  return app;
}
