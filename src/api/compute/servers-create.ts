/**
 * `POST /servers`: schedule a pod, then the shared routed create (pending routing → forward →
 * complete; removed when the pod refused, left for reconciliation when the outcome is unknown)
 * with the WHOLE body, every field the caller sent, and the AZ rewritten for the pod (a host
 * aggregate's zone goes to the pod holding it and is sent as it is: aggregate-zones.ts). A pod's
 * answer is passed through; a store that cannot be written stops the create with 503 before any
 * pod is touched. Before scheduling, Nova's API-level quota checks (server-quota.ts) and the keypair
 * lookup; after it, the keypair hand-off to the chosen pod.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { createRouted } from '../../proxy';
import { usableInPod } from '../common';
import type { Flavor } from '../../store';
import { badRequest, readJson, validate } from '../../http';
import { azForPod, serverAzToTop, topAz } from './az';
import type { ComputeDeps, ComputeEnv } from './deps';
import { ensureKeypairInPod, ownKeypair } from './keypair-handoff';
import { checkServerQuota, type ServerRequest } from './server-quota';
import { afterCreated, afterReservation, createExtras, type AdoptionContext } from './server-adoption';
import { groupPlacement } from './server-group-hint';
import { innerZonePlacement, innerZones } from './aggregate-zones';
import { callerRoute } from '../common';

const CreateShape = v.object({
  server: v.looseObject({
    availability_zone: v.optional(v.nullable(v.string())),
    key_name: v.optional(v.nullable(v.string())),
    block_device_mapping_v2: v.optional(v.array(v.looseObject({ source_type: v.optional(v.string()), destination_type: v.optional(v.string()), uuid: v.optional(v.string()) }))),
  }),
});

/** Block device sources the gateway routes: a pod can only use its own volumes and snapshots. */
const ROUTED_SOURCES = { volume: 'Volume', snapshot: 'Snapshot' } as const;

/**
 * Volumes and volume snapshots a create maps (block_device_mapping_v2) must live in the chosen
 * pod: another pod's is a 400 before any pod is contacted. Image sources need no check: the pods
 * share the region's one Glance, so an image is bootable in every pod, and the pod judges it.
 */
async function checkSourcesInPod(deps: ComputeDeps, c: Context<ComputeEnv>, server: v.InferOutput<typeof CreateShape>['server'], podId: string): Promise<void> {
  for (const bdm of server.block_device_mapping_v2 ?? []) {
    const source = bdm.source_type;
    if ((source !== 'volume' && source !== 'snapshot') || !bdm.uuid) continue;
    const route = await callerRoute(deps, c, bdm.uuid, source);
    if (route && route.pod_id !== podId) throw badRequest(`${ROUTED_SOURCES[source]} ${bdm.uuid} is not in the availability zone (pod) chosen for this server`);
  }
}

/** What the new server costs, for instances/cores/ram usage; best effort (usage is advisory). */
async function recordUsage(deps: ComputeDeps, c: Context<ComputeEnv>, id: string, flavor: Flavor): Promise<void> {
  try {
    await deps.store.quotas.recordServer({ topId: id, projectId: c.get('projectId'), userId: c.get('auth').userId ?? '', flavorid: flavor.flavorid, vcpus: flavor.vcpus, memoryMb: flavor.memory_mb });
  } catch {
    // The server exists and is routed; a missing usage row only undercounts cores and RAM.
  }
}

export async function createServer(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const raw = await readJson(c);
  const { server } = validate(CreateShape, raw);
  const projectId = c.get('projectId');
  // Nova's API-level quota checks and the keypair lookup come first: a refused create binds nothing.
  const flavor = await checkServerQuota(deps, c.get('apiVersion'), projectId, server as ServerRequest);
  const keypair = server.key_name ? await ownKeypair(deps, c, server.key_name) : undefined;
  const zone = topAz(server.availability_zone);
  const inner = await innerZonePlacement(deps, zone);
  const group = await groupPlacement(deps, raw, inner ? '' : zone, { projectId, isAdmin: c.get('auth').isAdmin });
  if (inner && group && group.pod.pod_id !== inner.pod.pod_id) throw badRequest(`The server group is not in availability zone ${zone}; its members cannot be created there.`);
  const placement = inner ?? group ?? (await deps.scheduler.select(projectId, zone));
  await checkSourcesInPod(deps, c, server, placement.pod.pod_id);
  if (flavor) await usableInPod(deps.store, 'flavor', flavor.flavorid, placement.pod);
  // The pod looks key_name up in its own database: give it the user's keypair first.
  if (keypair) await ensureKeypairInPod(deps, c, placement.pod, keypair);

  const body = raw as { server: Record<string, unknown> };
  const az = azForPod(String(server.availability_zone ?? ''), placement.podAz);
  if (az === undefined) delete body.server.availability_zone;
  else body.server.availability_zone = az;

  const adoption: AdoptionContext = {
    deps,
    pod: placement.pod,
    projectId,
    extras: createExtras(server),
  };
  return createRouted(deps, c, {
    pod: placement.pod,
    service: 'compute',
    type: 'server',
    projectId,
    body: JSON.stringify(body),
    idOf: (json) => (json as { server?: { id?: unknown } }).server?.id,
    hint: { name: typeof server.name === 'string' ? server.name : null },
    transform: serverAzToTop(placement.pod, await innerZones(deps)),
    onCreated: async (id) => {
      if (flavor) await recordUsage(deps, c, id, flavor);
      await afterCreated(adoption, id);
    },
    onNoId: (answer, pending) => afterReservation(adoption, answer, pending),
  });
}
