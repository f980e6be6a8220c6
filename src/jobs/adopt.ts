/**
 * Adoption: routing what a pod made for a request of ours without answering with its id.
 *
 * - `adopt_reservation`: Nova's multi-create (`min_count`/`max_count`) answers with the first
 *   server only, or with nothing but a `reservation_id` (`return_reservation_id`); every server
 *   of the reservation is routed, found by the reservation (the admin view shows
 *   `OS-EXT-SRV-ATTR:reservation_id` from 2.3 on).
 * - `adopt_server_volumes`: volumes Nova's compute host creates for `block_device_mapping_v2`
 *   with `destination_type: volume`, and the Cinder attachments Nova makes for a server's
 *   volumes, routed once the server has left BUILD (its `os-extended-volumes:volumes_attached`).
 *
 * Both ask the pod with the gateway's credentials and adopt only ids nothing routes yet.
 */
import type { ResourceType } from '../routing';
import type { Pod } from '../store';
import { done, fail, wait, type JobHandler } from './handler';
import { listInPod, ListingUnavailable } from './listing';
import { askResource } from './resources';
import type { RoutingCheckDeps } from './routing-checks';
import { recordAdoptedCost } from './usage';

export const ADOPT_RESERVATION = 'adopt_reservation';
export const ADOPT_SERVER_VOLUMES = 'adopt_server_volumes';

export interface ReservationPayload {
  pod_id: string;
  project_id: string;
  /** Known when the create answered with it (return_reservation_id). */
  reservation_id?: string;
  /** The server the create answered with, when it named one. */
  server_id?: string;
  /** The create's pending routing, when no id completed it. */
  routing_id?: number;
  /** Follow each server's volumes too (the create mapped volumes). */
  volumes?: boolean;
}

export interface ServerVolumesPayload {
  pod_id: string;
  project_id: string;
  server_id: string;
}

/** Nova's launch index: the order the create made the servers in. */
const launchIndex = (s: Record<string, unknown>) => Number(s['OS-EXT-SRV-ATTR:launch_index'] ?? 0);

export interface ReservationResult {
  /** Every server of the reservation, first launched first. */
  servers: string[];
  /** Those newly routed now. */
  adopted: string[];
}

/**
 * Routes every server of a multi-create. The pending routing (when the create named no id) is
 * completed with the first server.
 * @throws ListingUnavailable or PodError when the pod cannot tell
 */
export async function adoptReservation(deps: RoutingCheckDeps, pod: Pod, p: ReservationPayload, signal?: AbortSignal): Promise<ReservationResult> {
  let reservation = p.reservation_id;
  if (!reservation && p.server_id) {
    const seen = await askResource(deps.service, pod, 'server', p.server_id, signal);
    if (seen.state === 'present') reservation = seen.item['OS-EXT-SRV-ATTR:reservation_id'] as string | undefined;
  }
  if (!reservation) throw new ListingUnavailable(`pod ${pod.pod_name} named no reservation for the multi-create`);
  const items = (await listInPod(deps.service, pod, 'server', { projectId: p.project_id, reservationId: reservation }, signal))
    .filter((s) => s['OS-EXT-SRV-ATTR:reservation_id'] === undefined || s['OS-EXT-SRV-ATTR:reservation_id'] === reservation)
    .sort((a, b) => launchIndex(a) - launchIndex(b));
  const servers = items.map((s) => s.id as string);
  // Each server not routed yet costs its flavor, recorded before its routing turns active (the
  // server the create answered with was recorded by the create).
  for (const it of items) if (!(await deps.store.routings.lookup(it.id as string, 'server'))) await recordAdoptedCost(deps.store, 'server', p.project_id, it.id as string, it);
  const adopted: string[] = [];
  if (p.routing_id !== undefined && servers.length > 0) {
    const pending = await deps.store.routings.get(p.routing_id);
    if (pending?.status === 'pending' && !(await deps.store.routings.lookup(servers[0]!, 'server'))) {
      await deps.routes.complete(pending, servers[0]!);
      adopted.push(servers[0]!);
    }
  }
  for (const id of servers) if ((await deps.routes.adopt(p.project_id, pod.pod_id, 'server', id)).adopted) adopted.push(id);
  return { servers, adopted };
}

/** The ids in a server's `os-extended-volumes:volumes_attached`. */
function attachedVolumes(server: Record<string, unknown>): string[] {
  const list = server['os-extended-volumes:volumes_attached'];
  if (!Array.isArray(list)) return [];
  return list.map((v) => (v as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
}

/** Routes a server's volumes and the attachments of them to it; a server still building waits. */
async function adoptServerVolumes(deps: RoutingCheckDeps, pod: Pod, p: ServerVolumesPayload, signal: AbortSignal) {
  const seen = await askResource(deps.service, pod, 'server', p.server_id, signal);
  if (seen.state === 'gone') return done(`server ${p.server_id} is gone`);
  if (seen.state === 'unknown') return wait(seen.reason);
  if (seen.item.status === 'BUILD') return wait(`server ${p.server_id} is still building`);
  const adopted: string[] = [];
  const routeNew = async (type: ResourceType, id: string) => {
    if ((await deps.routes.adopt(p.project_id, pod.pod_id, type, id)).adopted) adopted.push(`${type} ${id}`);
  };
  for (const volumeId of attachedVolumes(seen.item)) {
    if (!(await deps.store.routings.lookup(volumeId, 'volume'))) {
      // A volume Nova made counts against the volume quotas at its size, from its routing on.
      const volume = await askResource(deps.service, pod, 'volume', volumeId, signal);
      if (volume.state === 'present') await recordAdoptedCost(deps.store, 'volume', p.project_id, volumeId, volume.item);
    }
    await routeNew('volume', volumeId);
    let attachments: Record<string, unknown>[];
    try {
      attachments = await listInPod(deps.service, pod, 'attachment', { projectId: p.project_id, volumeId }, signal);
    } catch (err) {
      if (err instanceof ListingUnavailable) continue; // below 3.27 a pod has no attachments API
      throw err;
    }
    for (const a of attachments) {
      const server = a.instance ?? a.instance_uuid;
      if (server === undefined || server === p.server_id) await routeNew('attachment', a.id as string);
    }
  }
  return done(adopted.length ? `adopted ${adopted.join(', ')}` : 'nothing new to route');
}

export function adoptReservationHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    maxAttempts: 10,
    async run(job, ctx) {
      const p = job.payload as ReservationPayload;
      const pod = await deps.podDir.get(p.pod_id);
      if (!pod) return fail(`pod ${p.pod_id} is no longer registered`);
      let r: ReservationResult;
      try {
        r = await adoptReservation(deps, pod, p, ctx.signal);
      } catch (err) {
        if (err instanceof ListingUnavailable) return wait(err.message);
        throw err;
      }
      if (r.servers.length === 0) return wait('the reservation lists no server yet');
      if (p.volumes) for (const id of r.servers) await enqueueServerVolumes(deps, { pod_id: p.pod_id, project_id: p.project_id, server_id: id });
      return done(`reservation of ${r.servers.length} server(s); adopted ${r.adopted.length ? r.adopted.join(', ') : 'none'}`);
    },
  };
}

export function adoptServerVolumesHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    maxAttempts: 40,
    backoff: { baseMs: 2_000, capMs: 30_000 },
    async run(job, ctx) {
      const p = job.payload as ServerVolumesPayload;
      const pod = await deps.podDir.get(p.pod_id);
      if (!pod) return fail(`pod ${p.pod_id} is no longer registered`);
      return adoptServerVolumes(deps, pod, p, ctx.signal);
    },
  };
}

/** Records the job that routes a server's volumes and attachments (one waiting per server). */
export function enqueueServerVolumes(deps: Pick<RoutingCheckDeps, 'store'>, p: ServerVolumesPayload) {
  return deps.store.jobs.enqueue(ADOPT_SERVER_VOLUMES, p.server_id, p, { dedupKey: `${ADOPT_SERVER_VOLUMES}:${p.server_id}` });
}
