/**
 * Everything under `/servers/{id}`: the shared by-id pass-through to the server's pod, with the
 * hooks where the gateway must act:
 * - the AZ in answers is the top AZ;
 * - a DELETE or `forceDelete` the pod accepted marks the routing deleting (the server stops
 *   counting against quota at once; a job removes the routing once the pod no longer has it:
 *   deletion is asynchronous in Nova); `restore` of a soft-deleted server makes it active again;
 *   a 404 to the owner has a job verify it with the gateway's credentials;
 * - attaching a volume requires the volume to live in the server's pod.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { deletionEvents, forwardById, ownerPod } from '../../proxy';
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

/** Nova's server actions that delete a server or undo a soft delete (deferred_delete). */
const SERVER_EVENTS = deletionEvents({ deletingActions: ['forceDelete'], restoringActions: ['restore'] });

export async function serverById(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'server',
    service: 'compute',
    collection: 'servers',
    missing: instanceMissing,
    transform: serverAzToTop,
    events: SERVER_EVENTS,
    peek: {
      when: (method, sub) => method === 'POST' && /^\/os-volume_attachments\/?$/.test(sub),
      check: (body, pod) => checkAttachSamePod(deps, body, pod),
    },
  });
  return response;
}
