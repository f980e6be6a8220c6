/**
 * `/os-assisted-volume-snapshots` (admin or service;
 * https://docs.openstack.org/api-ref/compute/#assisted-volume-snapshots-os-assisted-volume-snapshots):
 * the Nova that has the volume attached does the work, so the call goes to the pod of the volume
 * (its routing): on create the body's `snapshot.volume_id`, on delete the `volume_id` of the
 * `delete_info` query (JSON). A volume the gateway does not route is Nova's VolumeBDMNotFound, 400.
 */
import type { Context } from 'hono';
import { callPod, respond } from '../../proxy';
import { badRequest, peekJson } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { can } from './policy';

async function toVolumePod(deps: ComputeDeps, c: Context<ComputeEnv>, volumeId: unknown, body?: string): Promise<Response> {
  if (typeof volumeId !== 'string') throw badRequest("Invalid input for field/attribute volume_id. 'volume_id' is a required property");
  const route = await deps.routes.lookup(volumeId, 'volume');
  const pod = route && (await deps.podDir.get(route.pod_id));
  if (!pod) throw badRequest(`No volume Block Device Mapping with id ${volumeId}.`);
  const res = await callPod(deps.proxy, c, { pod, service: 'compute', projectId: c.get('projectId'), body });
  return respond(deps.proxy, c, pod, 'compute', res);
}

export async function assistedSnapshotCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-assisted-volume-snapshots:create', {});
  const { text, json } = await peekJson(c);
  return toVolumePod(deps, c, (json as { snapshot?: { volume_id?: unknown } } | undefined)?.snapshot?.volume_id, text);
}

export async function assistedSnapshotDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-assisted-volume-snapshots:delete', {});
  let info: unknown;
  try {
    info = JSON.parse(c.req.query('delete_info') ?? '');
  } catch {
    throw badRequest("Invalid input for query parameters delete_info: a JSON object with 'volume_id' is required");
  }
  return toVolumePod(deps, c, (info as { volume_id?: unknown } | null)?.volume_id);
}
