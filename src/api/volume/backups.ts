/**
 * Backups (https://docs.openstack.org/api-ref/block-storage/v3/#backups-backups), routed here
 * (the original left them unrouted, so a backup could not be found by id): a create goes to the pod
 * of its volume (and snapshot, which must share it) with a routing row of its own; everything by
 * id follows the routing. A restore runs in the backup's pod: a target volume must live there,
 * and the volume a restore creates is adopted into the routing table. Cinder's backup quotas are
 * checked first and the backup's cost (its volume's size) recorded; a restore that creates its
 * volume is checked against the volume quotas first, as that volume's create.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { forwardById } from '../../proxy';
import { badRequest, readJson, type GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { callersOwn, createInPod, MISSING, onePod, podOf } from './same-pod';
import { VOLUME_EVENTS } from './volumes-by-id';
import { backupCreate } from './schemas';
import { checkBody, nameOf } from './validation';
import { checkBackupCreate, checkVolumeCreate, recordCost, sourceCost } from './volume-quota';

export async function createBackup(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { backup } = checkBody(backupCreate, body);
  const volumeId = backup.volume_id;
  const snapshotId = backup.snapshot_id;
  const sources = [{ pod: await podOf(deps, c, volumeId, 'volume'), what: `the volume ${volumeId}` }];
  if (snapshotId) sources.push({ pod: await podOf(deps, c, snapshotId, 'snapshot'), what: `the snapshot ${snapshotId}` });
  const pod = onePod(sources)!;
  const projectId = c.get('projectId');
  await checkBackupCreate(deps, projectId, await sourceCost(deps, 'volume', volumeId));
  return createInPod(deps, c, {
    pod,
    type: 'backup',
    member: 'backup',
    body,
    name: nameOf(backup),
    transform: volumeAzToTop(pod),
    onCreated: (id) => recordCost(deps, { id, type: 'backup', projectId, volumeId }),
  });
}

/** The volume of a restore, in its request (the target, when one is named) and in its answer. */
const RestoreVolume = v.object({ restore: v.object({ volume_id: v.pipe(v.string(), v.nonEmpty()) }) });

export async function backupById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const restoring = c.req.method === 'POST' && /\/restore\/?$/.test(c.req.path);
  let restored: string | undefined;
  const { response, status, pod } = await forwardById(deps, c, {
    type: 'backup',
    service: 'volumev3',
    collection: 'backups',
    missing: MISSING.backup,
    events: VOLUME_EVENTS,
    peek: {
      when: () => restoring,
      // A target volume must be in the backup's pod: a pod cannot restore into another's disks.
      check: async (body, p) => {
        const backupId = c.req.param('id')!;
        if (!(await callersOwn(deps, c, backupId, 'backup'))) return;
        if (!v.is(RestoreVolume, body)) {
          // Without a target Cinder creates a volume of the backup's size (cinder/backup/api.py
          // restore), through the volume create's quota reservation.
          const cost = await sourceCost(deps, 'backup', backupId);
          if (cost) await checkVolumeCreate(deps, c.get('projectId'), cost.sizeGb, undefined);
          return;
        }
        const volumeId = body.restore.volume_id;
        if ((await podOf(deps, c, volumeId, 'volume')).pod_id !== p.pod_id) {
          throw badRequest(`Backup ${c.req.param('id')} and volume ${volumeId} are not in the same availability zone (pod).`);
        }
      },
    },
    transform: (p) => (json) => {
      if (restoring && v.is(RestoreVolume, json)) restored = json.restore.volume_id;
      return volumeAzToTop(p)(json);
    },
  });
  if (restoring && status < 300 && restored !== undefined && !(await deps.routes.lookup(restored, 'volume'))) {
    await deps.routes.adopt(c.get('projectId'), pod.pod_id, 'volume', restored);
    // Cinder makes the new volume at the backup's size.
    const cost = await sourceCost(deps, 'backup', c.req.param('id')!);
    if (cost) await deps.store.volumeUsage.record({ topId: restored, type: 'volume', projectId: c.get('projectId'), sizeGb: cost.sizeGb }).catch(() => {});
  }
  return response;
}
