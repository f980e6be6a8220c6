/**
 * Cinder volume API v3 on the volume listener
 * (https://docs.openstack.org/api-ref/block-storage/v3/). Version documents need no token;
 * everything else negotiates the volume microversion (Cinder's rules), then authenticates, fixes
 * the project scope and dispatches from the route table below — read it top to bottom. Four kinds
 * of handler: routed creates, the generic by-id pass-through, collections, and what the gateway
 * owns (types, quotas, AZs).
 */
import { Hono, type Context } from 'hono';
import { microversion, parseVersion, type GatewayEnv, type MicroversionSpec } from '../../http';
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
import { defaultQuotas, deleteQuotas, showLimits, showQuotas, updateQuotas } from './quotas';

export type { VolumeDeps } from './deps';
export { VOLUME_MIN_VERSION } from './versions';
export { DEFAULT_VOLUME_QUOTAS } from './quotas';

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
    ['ALL', '/backups/:id', (c) => backupById(deps, c)],
    ['ALL', '/backups/:id/*', (c) => backupById(deps, c)],

    ['POST', '/attachments', (c) => createAttachment(deps, c)],
    ['GET', '/attachments', attachments],
    ['GET', '/attachments/detail', attachments],
    ['ALL', '/attachments/:id', (c) => attachmentById(deps, c)],
    ['ALL', '/attachments/:id/*', (c) => attachmentById(deps, c)],

    ['GET', '/types', (c) => listTypes(deps, c)],
    ['POST', '/types', (c) => createType(deps, c)],
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

    ['GET', '/os-availability-zone', (c) => listZones(deps, c)],
    ['GET', '/limits', (c) => showLimits(deps, c)],
    ['GET', '/os-quota-sets/:target', (c) => showQuotas(deps, c)],
    ['GET', '/os-quota-sets/:target/defaults', (c) => defaultQuotas(deps, c)],
    ['PUT', '/os-quota-sets/:target', (c) => updateQuotas(deps, c)],
    ['DELETE', '/os-quota-sets/:target', (c) => deleteQuotas(deps, c)],
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
