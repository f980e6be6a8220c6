/**
 * Everything under `/servers/{id}`: the shared by-id pass-through (DESIGN "generic
 * pass-through") with the hooks where the gateway must act:
 * - the AZ in answers is the top AZ;
 * - a pod 404 on `GET /servers/{id}` removes the stale routing (DELETE keeps it until the pod
 *   confirms the server is gone, §15.1.7);
 * - attaching a volume requires the volume to live in the server's pod.
 */
import type { Context } from 'hono';
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

async function checkAttachSamePod(deps: ComputeDeps, c: Context<ComputeEnv>, pod: Pod): Promise<string> {
  const text = await c.req.text();
  let volumeId: unknown;
  try {
    volumeId = (JSON.parse(text) as { volumeAttachment?: { volumeId?: unknown } }).volumeAttachment?.volumeId;
  } catch {
    return text; // the pod answers malformed JSON in its own words
  }
  if (typeof volumeId !== 'string') return text;
  const route = await deps.routes.lookup(volumeId, 'volume');
  if (!route) throw notFound(`Volume ${volumeId} could not be found.`);
  if (route.pod_id !== pod.pod_id) throw badRequest('Server and volume not in the same pod');
  return text;
}

export async function serverById(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'server',
    service: 'compute',
    collection: 'servers',
    missing: instanceMissing,
    transform: serverAzToTop,
    before: async (pod, sub) => (c.req.method === 'POST' && /^\/os-volume_attachments\/?$/.test(sub) ? checkAttachSamePod(deps, c, pod) : undefined),
  });
  return response;
}
