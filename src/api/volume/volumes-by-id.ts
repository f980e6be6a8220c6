/**
 * Everything under `/volumes/{id}` — show, update, delete, every `/action`, `/metadata` in all
 * its forms — through the shared by-id pass-through to the volume's pod
 * (https://docs.openstack.org/api-ref/block-storage/v3/#volumes-volumes), with Cinder's hooks:
 * - answers show the top AZ;
 * - a DELETE (or `os-force_delete`) the pod accepted marks the routing deleting: the volume stops
 *   counting against quota at once, and a job removes the routing once the pod no longer has it
 *   (Cinder deletes asynchronously); a 404 to the owner has a job verify it;
 * - `os-attach` with an `instance_uuid` needs the server in the volume's pod.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { deletionEvents, forwardById } from '../../proxy';
import type { GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { checkServerInPod, MISSING } from './same-pod';
import { typeForPod, typeIdMap, typeIdsToTop } from './type-ids';

/** The part of an `os-attach` action the gateway reads; any other body is the pod's to judge. */
const AttachToServer = v.object({ 'os-attach': v.object({ instance_uuid: v.string() }) });
/** `os-retype` names the new type by name or id: a gateway type goes as the pod's id. */
const Retype = v.object({ 'os-retype': v.looseObject({ new_type: v.string() }) });

/** Cinder's actions that take a volume or snapshot out of Cinder (admin_actions, volume_unmanage, snapshot_unmanage). */
export const VOLUME_EVENTS = deletionEvents({ deletingActions: ['os-force_delete', 'os-unmanage'] });

export async function volumeById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeIds = await typeIdMap(deps.store);
  const { response } = await forwardById(deps, c, {
    type: 'volume',
    service: 'volumev3',
    collection: 'volumes',
    missing: MISSING.volume,
    transform: (pod) => {
      const toTop = volumeAzToTop(pod);
      return (json) => typeIdsToTop(typeIds)(toTop(json));
    },
    peek: {
      when: (method, sub) => method === 'POST' && /^\/action\/?$/.test(sub),
      check: async (body, pod) => {
        if (v.is(AttachToServer, body)) await checkServerInPod(deps, body['os-attach'].instance_uuid, pod);
      },
      rewrite: async (body, pod) => {
        if (!v.is(Retype, body)) return undefined;
        const podType = await typeForPod(deps, body['os-retype'].new_type, pod);
        return podType === body['os-retype'].new_type ? undefined : { ...body, 'os-retype': { ...body['os-retype'], new_type: podType } };
      },
    },
    events: VOLUME_EVENTS,
  });
  return response;
}
