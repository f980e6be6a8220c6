/**
 * Snapshots: a create goes to the pod of its volume and gets a routing row of its own; everything
 * by id follows that routing (deletion tracked like a volume's).
 */
import type { Context } from 'hono';
import { forwardById } from '../../proxy';
import { notFound, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { createInPod, MISSING, podOf } from './same-pod';
import { VOLUME_EVENTS } from './volumes-by-id';
import { snapshotCreate } from './schemas';
import { checkBody, nameOf } from './validation';

export async function createSnapshot(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { snapshot } = checkBody(snapshotCreate, body);
  if (snapshot.volume_id === null) throw notFound(MISSING.volume('None'));
  const pod = await podOf(deps, snapshot.volume_id, 'volume');
  return createInPod(deps, c, { pod, type: 'snapshot', member: 'snapshot', body, name: nameOf(snapshot) });
}

export async function snapshotById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, { type: 'snapshot', service: 'volumev3', collection: 'snapshots', missing: MISSING.snapshot, events: VOLUME_EVENTS });
  return response;
}
