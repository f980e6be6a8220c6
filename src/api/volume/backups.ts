/**
 * Backups (routed here; the original left them unrouted, §6.6/§15.2.8): a create goes to the pod
 * of its volume (and snapshot, which must share it) with a routing row of its own; everything by
 * id follows the routing. A restore runs in the backup's pod: a target volume must live there,
 * and the volume a restore creates is adopted into the routing table.
 */
import type { Context } from 'hono';
import { createRouted, forwardById } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, type GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import { isObject, optionalString, readMember, requiredString } from './bodies';
import type { VolumeDeps } from './deps';
import { MISSING, onePod, podOf } from './same-pod';

export async function createBackup(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { body, member } = await readMember(c, 'backup');
  const volumeId = requiredString(member, 'volume_id');
  const snapshotId = optionalString(member, 'snapshot_id');
  const sources = [{ pod: await podOf(deps, volumeId, 'volume'), what: `the volume ${volumeId}` }];
  if (snapshotId) sources.push({ pod: await podOf(deps, snapshotId, 'snapshot'), what: `the snapshot ${snapshotId}` });
  const pod = onePod(sources)!;
  return createRouted(deps, c, {
    pod,
    service: 'volumev3',
    type: 'backup',
    projectId: c.get('projectId'),
    body: JSON.stringify(body),
    idOf: (json) => (json as { backup?: { id?: unknown } }).backup?.id,
    transform: volumeAzToTop(pod),
  });
}

/** `POST /backups/{id}/restore` checks: the target volume, when named, must be in the backup's pod. */
async function checkRestore(deps: VolumeDeps, c: Context<GatewayEnv>, pod: Pod): Promise<string> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  const restore = isObject(body) ? body.restore : undefined;
  const volumeId = isObject(restore) && typeof restore.volume_id === 'string' ? restore.volume_id : undefined;
  if (volumeId && (await podOf(deps, volumeId, 'volume')).pod_id !== pod.pod_id) {
    throw badRequest(`Backup ${c.req.param('id')} and volume ${volumeId} are not in the same availability zone (pod).`);
  }
  return text;
}

export async function backupById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const restoring = c.req.method === 'POST' && /\/restore\/?$/.test(c.req.path);
  let restored: unknown;
  const { response, status, pod } = await forwardById(deps, c, {
    type: 'backup',
    service: 'volumev3',
    collection: 'backups',
    missing: MISSING.backup,
    before: async (p) => (restoring ? checkRestore(deps, c, p) : undefined),
    transform: (p) => (json) => {
      if (restoring && isObject(json) && isObject(json.restore)) restored = json.restore.volume_id;
      return volumeAzToTop(p)(json);
    },
  });
  if (restoring && status < 300 && typeof restored === 'string' && !(await deps.routes.lookup(restored, 'volume'))) {
    await deps.routes.adopt(c.get('projectId'), pod.pod_id, 'volume', restored);
  }
  return response;
}
