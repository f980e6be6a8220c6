/**
 * What a server create makes besides the server its answer names, routed right after the pod's
 * answer (Nova's API references: multi-create, block_device_mapping_v2):
 * - a multi-create (`min_count`/`max_count` > 1, or `return_reservation_id`): every server of the
 *   reservation, asked at once with the gateway's credentials (bounded); when the pod cannot tell
 *   yet, an `adopt_reservation` job does it, and a create answered with only a reservation keeps
 *   its pending routing (with the reservation) for that job or for reconciliation;
 * - volumes mapped with `destination_type: volume`: an `adopt_server_volumes` job per server routes
 *   the volumes Nova makes and their attachments once the server has left BUILD.
 * Each adopted server also gets its quota usage recorded (its flavor as the pod lists it).
 */
import { ADOPT_RESERVATION, adoptReservation, enqueueServerVolumes, type ReservationPayload } from '../../jobs';
import type { Pod, Routing } from '../../store';
import type { ComputeDeps } from './deps';

/** How long the create's answer may wait for its siblings to be routed. */
export const INLINE_ADOPTION_MS = 5_000;

export interface CreateExtras {
  /** More than one server, or only a reservation in the answer. */
  multi: boolean;
  /** Volumes Nova makes or attaches for the server. */
  volumes: boolean;
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(true|1|yes)$/i.test(v));

export function createExtras(server: { min_count?: unknown; max_count?: unknown; return_reservation_id?: unknown; block_device_mapping_v2?: { destination_type?: string }[] }): CreateExtras {
  const many = (v: unknown) => Number(v ?? 1) > 1;
  return {
    multi: many(server.min_count) || many(server.max_count) || truthy(server.return_reservation_id),
    volumes: (server.block_device_mapping_v2 ?? []).some((b) => b.destination_type === 'volume'),
  };
}

export interface AdoptionContext {
  deps: ComputeDeps;
  pod: Pod;
  projectId: string;
  extras: CreateExtras;
}

/**
 * Routes the siblings of a multi-create inline (bounded) or records the job that will. Never
 * throws: the create succeeded in the pod, and its answer goes to the caller either way.
 */
async function adoptSiblings(a: AdoptionContext, p: ReservationPayload): Promise<string[] | undefined> {
  const { store, routes, podDir, service } = a.deps;
  try {
    const r = await adoptReservation({ store, routes, podDir, service }, a.pod, p, AbortSignal.timeout(INLINE_ADOPTION_MS));
    if (r.servers.length === 0) throw new Error('no server listed yet');
    return r.servers;
  } catch {
    await store.jobs.enqueue(ADOPT_RESERVATION, p.reservation_id ?? p.server_id ?? null, { ...p, volumes: a.extras.volumes }).catch(() => {});
    return undefined;
  }
}

async function followVolumes(a: AdoptionContext, servers: string[]): Promise<void> {
  if (!a.extras.volumes) return;
  for (const id of servers) await enqueueServerVolumes(a.deps, { pod_id: a.pod.pod_id, project_id: a.projectId, server_id: id }).catch(() => {});
}

/** After a create answered with server `id`. */
export async function afterCreated(a: AdoptionContext, id: string): Promise<void> {
  const servers = a.extras.multi ? ((await adoptSiblings(a, { pod_id: a.pod.pod_id, project_id: a.projectId, server_id: id })) ?? [id]) : [id];
  await followVolumes(a, servers);
}

/** After a create answered with only a reservation (`return_reservation_id`). */
export async function afterReservation(a: AdoptionContext, answer: unknown, pending: Routing): Promise<boolean> {
  const reservation = (answer as { reservation_id?: unknown } | null)?.reservation_id;
  if (typeof reservation !== 'string' || reservation === '') return false;
  // Whatever happens next, reconciliation can find the servers by their reservation.
  await a.deps.store.routings.addHint(pending.id, { reservation_id: reservation }).catch(() => {});
  const servers = await adoptSiblings(a, { pod_id: a.pod.pod_id, project_id: a.projectId, reservation_id: reservation, routing_id: pending.id });
  if (servers) await followVolumes(a, servers);
  return true;
}
