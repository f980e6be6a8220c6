/**
 * The attachments API (3.27+): a create goes to the pod of its volume — with an `instance_uuid`
 * the server must live there too — and gets a routing row; by id follows the routing. The pod
 * judges the microversion (it answers 404 below 3.27). A deleted attachment is gone at once in
 * Cinder, so its routing goes with a DELETE the pod accepted from the owner (or an admin).
 */
import type { Context } from 'hono';
import { createRouted, deletionEvents, forwardById } from '../../proxy';
import { readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { checkServerInPod, MISSING, podOf } from './same-pod';
import { attachmentCreate_3_27 } from './schemas';
import { checkBody } from './validation';

export async function createAttachment(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  // Cinder names the volume `volume_uuid` here (cinder/api/schemas/attachments.py).
  const { attachment } = checkBody(attachmentCreate_3_27, body);
  const pod = await podOf(deps, c, attachment.volume_uuid, 'volume');
  const server = attachment.instance_uuid;
  if (server) await checkServerInPod(deps, c, server, pod);
  return createRouted(deps, c, {
    pod,
    service: 'volumev3',
    type: 'attachment',
    projectId: c.get('projectId'),
    body: JSON.stringify(body),
    idOf: (json) => (json as { attachment?: { id?: unknown } }).attachment?.id,
    hint: { volume_id: attachment.volume_uuid },
  });
}

export async function attachmentById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'attachment',
    service: 'volumev3',
    collection: 'attachments',
    missing: MISSING.attachment,
    // Cinder deletes an attachment before it answers: the owner's 2xx is the proof.
    events: deletionEvents({ deleteIsImmediate: true }),
  });
  return response;
}
