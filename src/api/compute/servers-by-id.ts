/**
 * Everything under `/servers/{id}`: one generic pass-through to the pod that owns the id
 * (DESIGN "generic pass-through"), with the few hooks where the gateway must act:
 * - the AZ in answers is the top AZ;
 * - a pod 404 on `GET /servers/{id}` removes the stale routing (DELETE keeps it until the pod
 *   confirms the server is gone, §15.1.7);
 * - attaching a volume requires the volume to live in the server's pod.
 */
import type { Context } from 'hono';
import { forward } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, notFound, serviceUnavailable } from '../common';
import { serverAzToTop } from './az';
import type { ComputeDeps, ComputeEnv } from './deps';

/** The pod that owns server `id`, or a 404 in Nova's words. */
export async function serverPod(deps: ComputeDeps, id: string): Promise<Pod> {
  const routing = await deps.routes.lookup(id, 'server');
  if (!routing) throw notFound(`Instance ${id} could not be found.`);
  const pod = await deps.podDir.get(routing.pod_id);
  if (!pod) throw serviceUnavailable(`The pod of instance ${id} is no longer registered.`);
  return pod;
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
  const id = c.req.param('id')!;
  const pod = await serverPod(deps, id);
  const sub = c.req.path.split(`/servers/${id}`)[1] ?? '';
  let body: string | undefined;
  if (c.req.method === 'POST' && /^\/os-volume_attachments\/?$/.test(sub)) body = await checkAttachSamePod(deps, c, pod);
  const { response, status } = await forward(deps.proxy, c, { pod, service: 'compute', projectId: c.get('projectId'), body }, serverAzToTop(pod));
  if (status === 404 && c.req.method === 'GET' && (sub === '' || sub === '/')) await deps.routes.forget(id, 'server');
  return response;
}
