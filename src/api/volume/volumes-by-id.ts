/**
 * Everything under `/volumes/{id}` — show, update, delete, every `/action`, `/metadata` in all
 * its forms — through the shared by-id pass-through to the volume's pod
 * (https://docs.openstack.org/api-ref/block-storage/v3/#volumes-volumes), with Cinder's hooks:
 * - answers show the top AZ;
 * - a DELETE (or `os-force_delete`) the pod accepted marks the routing deleting: the volume stops
 *   counting against quota at once, and a job removes the routing once the pod no longer has it
 *   (Cinder deletes asynchronously); a 404 to the owner has a job verify it;
 * - `os-attach` with an `instance_uuid` needs the server in the volume's pod;
 * - `os-extend` is checked against the gigabytes quota, and an accepted extend or retype updates
 *   the volume's recorded cost.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { deletionEvents, forwardById } from '../../proxy';
import type { GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { callersOwn, checkServerInPod, MISSING } from './same-pod';
import { typeForPod, typeIdMap, typeIdsToTop } from './type-ids';
import { checkExtend } from './volume-quota';

/** The part of an `os-attach` action the gateway reads; any other body is the pod's to judge. */
const AttachToServer = v.object({ 'os-attach': v.object({ instance_uuid: v.string() }) });
/** `os-retype` names the new type by name or id: a gateway type goes as the pod's id. */
const Retype = v.object({ 'os-retype': v.looseObject({ new_type: v.string() }) });
/** `os-extend` to a whole new size (Cinder accepts the number or its text). */
const Extend = v.object({ 'os-extend': v.looseObject({ new_size: v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))]) }) });

/** A change of the volume's cost the pod's 2xx answer makes true. */
type CostChange = { sizeGb: number } | { volumeType: string | null };

/** Cinder's actions that take a volume or snapshot out of Cinder (admin_actions, volume_unmanage, snapshot_unmanage). */
export const VOLUME_EVENTS = deletionEvents({ deletingActions: ['os-force_delete', 'os-unmanage'] });

export async function volumeById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const typeIds = await typeIdMap(deps.store);
  const id = c.req.param('id')!;
  let change: CostChange | undefined;
  const { response, status } = await forwardById(deps, c, {
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
        // Another project's volume is the pod's to refuse (404 to the caller's token): a check
        // here would answer with where the server lives or with the owner's quota.
        if (!(await callersOwn(deps, c, id, 'volume'))) return;
        if (v.is(AttachToServer, body)) await checkServerInPod(deps, c, body['os-attach'].instance_uuid, pod);
        const extend = v.safeParse(Extend, body);
        if (extend.success) {
          const cost = await deps.store.volumeUsage.get(id, 'volume');
          const newSize = extend.output['os-extend'].new_size;
          if (cost) await checkExtend(deps, cost.projectId, cost, newSize);
          change = { sizeGb: newSize };
        }
        if (v.is(Retype, body)) {
          const ref = body['os-retype'].new_type;
          change = { volumeType: ((await deps.store.volumeTypes.get(ref)) ?? (await deps.store.volumeTypes.getByName(ref)))?.name ?? ref };
        }
      },
      rewrite: async (body, pod) => {
        if (!v.is(Retype, body)) return undefined;
        const podType = await typeForPod(deps, body['os-retype'].new_type, pod);
        return podType === body['os-retype'].new_type ? undefined : { ...body, 'os-retype': { ...body['os-retype'], new_type: podType } };
      },
    },
    events: VOLUME_EVENTS,
  });
  if (change && status >= 200 && status < 300) await deps.store.volumeUsage.update(id, 'volume', change).catch(() => {});
  return response;
}
