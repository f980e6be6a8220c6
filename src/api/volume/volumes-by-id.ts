/**
 * Everything under `/volumes/{id}` — show, update, delete, every `/action`, `/metadata` in all
 * its forms — through the shared by-id pass-through to the volume's pod
 * (https://docs.openstack.org/api-ref/block-storage/v3/#volumes-volumes), with Cinder's hooks:
 * - answers show the top AZ;
 * - a pod 404 on GET or PUT of the volume removes the stale routing (DELETE keeps it: deletion
 *   is asynchronous in Cinder, so the routing goes when the pod stops knowing the volume);
 * - `os-attach` with an `instance_uuid` needs the server in the volume's pod.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { forwardById } from '../../proxy';
import type { GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { checkServerInPod, MISSING } from './same-pod';

/** The part of an `os-attach` action the gateway reads; any other body is the pod's to judge. */
const AttachToServer = v.object({ 'os-attach': v.object({ instance_uuid: v.string() }) });

export async function volumeById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'volume',
    service: 'volumev3',
    collection: 'volumes',
    missing: MISSING.volume,
    transform: volumeAzToTop,
    peek: {
      when: (method, sub) => method === 'POST' && /^\/action\/?$/.test(sub),
      check: async (body, pod) => {
        if (v.is(AttachToServer, body)) await checkServerInPod(deps, body['os-attach'].instance_uuid, pod);
      },
    },
    forgetWhen: (method, sub, status) => status === 404 && (method === 'GET' || method === 'PUT') && (sub === '' || sub === '/'),
  });
  return response;
}
