/**
 * The server actions where the gateway must act before the pod does:
 * - `rebuild` with `key_name` (2.54): keypairs live at the top, and the pod looks the name up in
 *   its own database, so the caller's keypair is handed to the server's pod first (as server
 *   create does); an unknown name is Nova's 400 before the pod is asked. `null` unsets the key and
 *   needs nothing.
 * - `unshelve` with `availability_zone` (2.77): a shelved server stays in its pod (there is no
 *   move between pods), so only the pod's own top AZ is accepted (another is a 400 before the pod
 *   is asked) and it is sent as the pod's AZ name; an inner zone of the pod (a host aggregate's)
 *   is accepted and sent as it is. `null` (2.91, unpin) passes as it is.
 */
import type { Context } from 'hono';
import { badRequest } from '../../http';
import type { Pod } from '../../store';
import { isInnerZone, type InnerZones } from '../../proxy';
import { azForPod, topAz } from './az';
import { innerZones } from './aggregate-zones';
import type { ComputeDeps, ComputeEnv } from './deps';
import { ensureKeypairInPod, ownKeypair } from './keypair-handoff';

type Body = Record<string, unknown>;

function actionArg(body: unknown, name: string): Body | undefined {
  if (!body || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const arg = (body as Body)[name];
  return arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as Body) : undefined;
}

export async function checkAction(deps: ComputeDeps, c: Context<ComputeEnv>, body: unknown, pod: Pod): Promise<void> {
  const keyName = actionArg(body, 'rebuild')?.key_name;
  if (typeof keyName === 'string') {
    const keypair = await ownKeypair(deps, c, keyName);
    await ensureKeypairInPod(deps, c, pod, keypair);
  }
  const az = actionArg(body, 'unshelve')?.availability_zone;
  if (typeof az === 'string' && topAz(az) !== pod.az_name && !isInnerZone(await innerZones(deps), pod.pod_id, topAz(az))) {
    throw badRequest(`The server is in availability zone ${pod.az_name}; it cannot be unshelved in availability zone ${topAz(az)} (a server does not move between pods).`);
  }
}

/** The unshelve AZ in the pod's own name; an inner zone and any other body are forwarded as sent. */
export async function actionForPod(body: unknown, pod: Pod, inner: InnerZones): Promise<unknown> {
  const unshelve = actionArg(body, 'unshelve');
  if (!unshelve || typeof unshelve.availability_zone !== 'string') return undefined;
  if (isInnerZone(inner, pod.pod_id, topAz(unshelve.availability_zone))) return undefined;
  const az = azForPod(unshelve.availability_zone, pod.pod_az_name);
  const copy: Body = { ...unshelve };
  if (az === undefined) delete copy.availability_zone;
  else copy.availability_zone = az;
  return { unshelve: copy };
}
