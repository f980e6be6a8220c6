/**
 * Placement rules between routed resources: a volume made from a snapshot, volume or backup is made
 * in the pod that holds the source, and an attach needs server and volume in one pod — a pod cannot
 * reach another pod's disks or servers.
 */
import type { Context } from 'hono';
import { badRequest, notFound, type GatewayEnv } from '../../http';
import { createRouted, ownerPod } from '../../proxy';
import type { ResourceType } from '../../routing';
import type { Pod } from '../../store';
import { callerRoute, visibleToCaller, type ServiceDeps } from '../common';
import type { VolumeDeps } from './deps';

/** Cinder's "could not be found" words per resource type. */
export const MISSING: Record<'volume' | 'snapshot' | 'backup' | 'attachment' | 'group' | 'group_snapshot', (id: string) => string> = {
  volume: (id) => `Volume ${id} could not be found.`,
  snapshot: (id) => `Snapshot ${id} could not be found.`,
  backup: (id) => `Backup ${id} could not be found.`,
  attachment: (id) => `Volume attachment could not be found with filter: attachment_id = ${id}.`,
  group: (id) => `Group ${id} could not be found.`,
  group_snapshot: (id) => `GroupSnapshot ${id} could not be found.`,
};

/**
 * Whether the resource addressed by id is the caller's (or the caller an admin). A gateway-side
 * placement check on another project's resource would answer a 400 naming where it lives; such a
 * request is left to the pod, which answers the caller's token the 404 it answers any unknown id.
 */
export async function callersOwn(deps: VolumeDeps, c: Context<GatewayEnv>, id: string, type: ResourceType): Promise<boolean> {
  return (await callerRoute(deps, c, id, type)) !== undefined;
}

/** The pod holding the caller's `id` of `type`, 404 in Cinder's words when the caller has none. */
export async function podOf(deps: ServiceDeps, c: Context<GatewayEnv>, id: string, type: keyof typeof MISSING): Promise<Pod> {
  const route = await deps.routes.lookup(id, type as ResourceType);
  if (route && !visibleToCaller(c, route)) throw notFound(MISSING[type](id));
  return ownerPod(deps, id, type as ResourceType, MISSING[type](id));
}

/** A server given to an attach must live in the volume's pod: 404 unknown, 400 elsewhere. */
export async function checkServerInPod(deps: VolumeDeps, c: Context<GatewayEnv>, serverId: string, pod: Pod): Promise<void> {
  const route = await deps.routes.lookup(serverId, 'server');
  if (!route || !visibleToCaller(c, route)) throw notFound(`Server ${serverId} could not be found.`);
  if (route.pod_id !== pod.pod_id) throw badRequest('Server and volume not in the same pod');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Several sources of one create must share a pod (`what` reads "the snapshot X"). */
export function onePod(pods: { pod: Pod; what: string }[]): Pod | undefined {
  const first = pods[0];
  const other = pods.find((p) => p.pod.pod_id !== first?.pod.pod_id);
  if (first && other) throw badRequest(`${capitalize(first.what)} and ${other.what} are not in the same availability zone (pod).`);
  return first?.pod;
}

export interface CreateInPodOptions {
  pod: Pod;
  type: ResourceType;
  /** Body key of the new resource in the pod's answer (`snapshot`, `transfer`, ...). */
  member: string;
  /** The body to send (the caller's, possibly rewritten). */
  body: unknown;
  /** The name the create asked for: what reconciliation looks for if the answer is lost. */
  name: string | null;
  transform?: (json: unknown) => unknown;
  /** Runs once the new resource is routed (its quota cost is recorded here). */
  onCreated?: (id: string) => Promise<void>;
}

/** A create sent to the pod that must hold it, routed there in the caller's project. */
export function createInPod(deps: VolumeDeps, c: Context<GatewayEnv>, o: CreateInPodOptions): Promise<Response> {
  return createRouted(deps, c, {
    pod: o.pod,
    service: 'volumev3',
    type: o.type,
    projectId: c.get('projectId'),
    body: JSON.stringify(o.body),
    idOf: (json) => (json as Record<string, { id?: unknown } | undefined>)[o.member]?.id,
    hint: { name: o.name },
    transform: o.transform,
    onCreated: o.onCreated,
  });
}
