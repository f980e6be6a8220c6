/**
 * Everything under `/servers/{id}`: the shared by-id pass-through to the server's pod, with the
 * hooks where the gateway must act:
 * - the AZ in answers is the top AZ;
 * - a pod 404 on `GET /servers/{id}` removes the stale routing (DELETE keeps it until the pod
 *   confirms the server is gone: deletion is asynchronous in Nova);
 * - attaching a volume requires the volume to live in the server's pod.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { forwardById, ownerPod } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, notFound } from '../../http';
import { serverAzToTop } from './az';
import type { ComputeDeps, ComputeEnv } from './deps';

const instanceMissing = (id: string) => `Instance ${id} could not be found.`;

/** The pod that owns server `id`, or a 404 in Nova's words. */
export function serverPod(deps: ComputeDeps, id: string): Promise<Pod> {
  return ownerPod(deps, id, 'server', instanceMissing(id));
}

/** The part of a volume attach the gateway reads; any other shape is the pod's to judge. */
const VolumeAttach = v.object({ volumeAttachment: v.object({ volumeId: v.string() }) });

async function checkAttachSamePod(deps: ComputeDeps, body: unknown, pod: Pod): Promise<void> {
  if (!v.is(VolumeAttach, body)) return;
  const volumeId = body.volumeAttachment.volumeId;
  const route = await deps.routes.lookup(volumeId, 'volume');
  if (!route) throw notFound(`Volume ${volumeId} could not be found.`);
  if (route.pod_id !== pod.pod_id) throw badRequest('Server and volume not in the same pod');
}

export async function serverById(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'server',
    service: 'compute',
    collection: 'servers',
    missing: instanceMissing,
    transform: serverAzToTop,
    peek: {
      when: (method, sub) => method === 'POST' && /^\/os-volume_attachments\/?$/.test(sub),
      check: (body, pod) => checkAttachSamePod(deps, body, pod),
    },
  });
  return response;
}
