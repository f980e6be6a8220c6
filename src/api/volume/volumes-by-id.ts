/**
 * Everything under `/volumes/{id}` — show, update, delete, every `/action`, `/metadata` in all
 * its forms — through the shared by-id pass-through, with Cinder's hooks (reference §6.2–§6.4):
 * - answers show the top AZ;
 * - a pod 404 on GET or PUT of the volume removes the stale routing (DELETE keeps it: deletion
 *   is asynchronous, §15.1.7);
 * - `os-attach` with an `instance_uuid` needs the server in the volume's pod.
 */
import type { Context } from 'hono';
import { forwardById } from '../../proxy';
import type { Pod } from '../../store';
import type { GatewayEnv } from '../../http';
import { volumeAzToTop } from './az';
import { isObject } from './bodies';
import type { VolumeDeps } from './deps';
import { checkServerInPod, MISSING } from './same-pod';

async function checkAttach(deps: VolumeDeps, c: Context<GatewayEnv>, pod: Pod, sub: string): Promise<string | undefined> {
  if (c.req.method !== 'POST' || !/^\/action\/?$/.test(sub)) return undefined;
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text; // malformed: the pod answers in its own words
  }
  const attach = isObject(body) ? body['os-attach'] : undefined;
  if (isObject(attach) && typeof attach.instance_uuid === 'string') await checkServerInPod(deps, attach.instance_uuid, pod);
  return text;
}

export async function volumeById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'volume',
    service: 'volumev3',
    collection: 'volumes',
    missing: MISSING.volume,
    transform: volumeAzToTop,
    before: (pod, sub) => checkAttach(deps, c, pod, sub),
    forgetWhen: (method, sub, status) => status === 404 && (method === 'GET' || method === 'PUT') && (sub === '' || sub === '/'),
  });
  return response;
}
