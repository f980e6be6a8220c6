/**
 * Snapshots: a create goes to the pod of its volume and gets a routing row of its own; everything
 * by id follows that routing (deletion tracked like a volume's). Cinder's snapshot quotas are
 * checked first and the snapshot's cost (its volume's size and type) recorded.
 */
import type { Context } from 'hono';
import { forwardById } from '../../proxy';
import { notFound, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { createInPod, MISSING, podOf } from './same-pod';
import { VOLUME_EVENTS } from './volumes-by-id';
import { snapshotCreate } from './schemas';
import { checkBody, nameOf } from './validation';
import { checkSnapshotCreate, recordCost, sourceCost } from './volume-quota';

export async function createSnapshot(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { snapshot } = checkBody(snapshotCreate, body);
  if (snapshot.volume_id === null) throw notFound(MISSING.volume('None'));
  const volumeId = snapshot.volume_id;
  const pod = await podOf(deps, c, volumeId, 'volume');
  const projectId = c.get('projectId');
  await checkSnapshotCreate(deps, projectId, await sourceCost(deps, 'volume', volumeId));
  return createInPod(deps, c, {
    pod,
    type: 'snapshot',
    member: 'snapshot',
    body,
    name: nameOf(snapshot),
    onCreated: (id) => recordCost(deps, { id, type: 'snapshot', projectId, volumeId }),
  });
}

export async function snapshotById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, { type: 'snapshot', service: 'volumev3', collection: 'snapshots', missing: MISSING.snapshot, events: VOLUME_EVENTS });
  return response;
}
