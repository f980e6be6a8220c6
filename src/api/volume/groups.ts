/**
 * Generic volume groups (3.13) and group snapshots (3.14), and the older consistency groups and
 * cgsnapshots Cinder still serves on the same records
 * (https://docs.openstack.org/api-ref/block-storage/v3/#generic-volume-groups-groups). A group
 * lives in one pod, as its volumes do:
 * - a create is scheduled like a volume (the tenant's pod of the requested AZ, the AZ written as
 *   the pod's) with its group type and volume types sent as the pod's ids, and routed;
 * - `create-from-src` goes to the pod of the source group or group snapshot; a group snapshot to
 *   the pod of its group; both routed;
 * - everything by id (show, update, every action: delete with delete-volumes, reset_status,
 *   enable_replication, …) follows the routing; a `delete` the pod accepted marks it deleting;
 * - lists are the fan-out's merged lists.
 * A consistency group is a group in Cinder, with the same id: `consistencygroups/{id}` follows the
 * group's routing, `cgsnapshots/{id}` the group snapshot's. Cinder still serves both (the v3
 * router's `consistencygroups`, the `cgsnapshots` extension) in Zed and at master, deprecated.
 */
import type { Context } from 'hono';
import { askPods, fanoutList } from '../../fanout';
import { azToTop, deletionEvents, forwardById, type AnswerSeen, type JsonTransform, type RoutingEvent } from '../../proxy';
import { badRequest, boolFromString, readJson, type GatewayEnv } from '../../http';
import type { Pod } from '../../store';
import { azForPod } from './az';
import type { VolumeDeps } from './deps';
import { groupTypeForPod } from './group-types';
import { cinderListSpec } from './list-spec';
import { createInPod, podOf } from './same-pod';
import { typeForPod, typeIdMap } from './type-ids';

/** The group collections, their routing type and their member key. */
const KINDS = {
  groups: { type: 'group', one: 'group' },
  consistencygroups: { type: 'group', one: 'consistencygroup' },
  group_snapshots: { type: 'group_snapshot', one: 'group_snapshot' },
  cgsnapshots: { type: 'group_snapshot', one: 'cgsnapshot' },
} as const;

export type GroupCollection = keyof typeof KINDS;

const GROUP_EVENTS = deletionEvents({ deletingActions: ['delete'] });

/**
 * A consistency group is deleted by `POST /consistencygroups/{id}/delete` (a member action of
 * Cinder's CG extension, not an `/action` body): accepted, the routing turns deleting.
 */
function consistencyGroupEvents(a: AnswerSeen): RoutingEvent | undefined {
  if (a.method === 'POST' && /^\/delete\/?$/.test(a.sub) && a.status >= 200 && a.status < 300) return 'deleting';
  return GROUP_EVENTS(a);
}

function memberOf(body: unknown, key: string): Record<string, unknown> {
  const m = (body as Record<string, unknown> | null)?.[key];
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest(`Invalid input for field/attribute ${key}. Value: None. '${key}' is a required property`);
  return m as Record<string, unknown>;
}

const stringOf = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);

/** `POST /groups` and `POST /consistencygroups`: scheduled like a volume, types as the pod's ids. */
export async function createGroup(deps: VolumeDeps, c: Context<GatewayEnv>, collection: 'groups' | 'consistencygroups'): Promise<Response> {
  const body = await readJson(c);
  const key = KINDS[collection].one;
  const g = memberOf(body, key);
  const projectId = c.get('projectId');
  const pod = (await deps.scheduler.select(projectId, stringOf(g.availability_zone) ?? '')).pod;
  azForPod(g, pod);
  if (collection === 'groups') {
    if (typeof g.group_type === 'string') g.group_type = await groupTypeForPod(deps, g.group_type, pod);
    if (Array.isArray(g.volume_types)) g.volume_types = await Promise.all(g.volume_types.map((t) => (typeof t === 'string' ? typeForPod(deps, t, pod) : t)));
  } else if (typeof g.volume_types === 'string') {
    // consistencygroups take the types as one comma-separated string.
    g.volume_types = (await Promise.all(g.volume_types.split(',').map((t) => typeForPod(deps, t.trim(), pod)))).join(',');
  }
  return routedCreate(deps, c, pod, collection, body, g);
}

/** Groups show the top AZ, as volumes do. */
/** Pod id → gateway id of the volume types and group types (the pods' own ids differ on real Cinder). */
interface IdMaps {
  types: Map<string, string>;
  groupTypes: Map<string, string>;
}

async function idMaps(deps: VolumeDeps): Promise<IdMaps> {
  const [types, groupTypes] = await Promise.all([typeIdMap(deps.store), deps.store.catalogState.podIdMap('group_type').catch(() => new Map<string, string>())]);
  return { types, groupTypes };
}

/**
 * A group or group snapshot as the gateway shows it: Cinder shows the pod's ids of its group type
 * (`group_type`, a snapshot's `group_type_id`) and volume types (`volume_types`); the caller
 * knows the gateway's.
 */
function idsToTop(item: unknown, maps: IdMaps): void {
  if (!item || typeof item !== 'object') return;
  const g = item as Record<string, unknown>;
  for (const key of ['group_type', 'group_type_id']) if (typeof g[key] === 'string') g[key] = maps.groupTypes.get(g[key]) ?? g[key];
  if (Array.isArray(g.volume_types)) g.volume_types = g.volume_types.map((t) => (typeof t === 'string' ? (maps.types.get(t) ?? t) : t));
}

const MEMBERS = ['group', 'consistencygroup', 'group_snapshot', 'cgsnapshot'];

/** The top AZ and the gateway's type ids in a pod's answer about groups or group snapshots. */
const groupView = (maps: IdMaps) => (pod: Pod): JsonTransform => {
  const az = azToTop(pod.az_name, { one: 'group', many: 'groups', field: 'availability_zone' }, { one: 'consistencygroup', many: 'consistencygroups', field: 'availability_zone' });
  return (json) => {
    az(json);
    const body = json as Record<string, unknown> | null;
    for (const key of MEMBERS) idsToTop(body?.[key], maps);
    return json;
  };
};

async function routedCreate(deps: VolumeDeps, c: Context<GatewayEnv>, pod: Pod, collection: GroupCollection, body: unknown, sent: Record<string, unknown>): Promise<Response> {
  const { type, one } = KINDS[collection];
  return createInPod(deps, c, { pod, type, member: one, body, name: typeof sent.name === 'string' ? sent.name : null, transform: groupView(await idMaps(deps))(pod) });
}

/** `POST /groups/action` (`create-from-src`) and `POST /consistencygroups/create_from_src`. */
export async function createGroupFromSource(deps: VolumeDeps, c: Context<GatewayEnv>, collection: 'groups' | 'consistencygroups'): Promise<Response> {
  const body = await readJson(c);
  const src = memberOf(body, collection === 'groups' ? 'create-from-src' : 'consistencygroup-from-src');
  const snap = stringOf(src.group_snapshot_id) ?? stringOf(src.cgsnapshot_id);
  const group = stringOf(src.source_group_id) ?? stringOf(src.source_cgid);
  if (Boolean(snap) === Boolean(group)) throw badRequest('Invalid input received: Either group_snapshot_id or source_group_id must be provided to create group from source.');
  const pod = snap ? await podOf(deps, c, snap, 'group_snapshot') : await podOf(deps, c, group!, 'group');
  return routedCreate(deps, c, pod, collection, body, src);
}

/** `POST /group_snapshots` and `POST /cgsnapshots`: in the pod of the group. */
export async function createGroupSnapshot(deps: VolumeDeps, c: Context<GatewayEnv>, collection: 'group_snapshots' | 'cgsnapshots'): Promise<Response> {
  const body = await readJson(c);
  const s = memberOf(body, KINDS[collection].one);
  const groupId = stringOf(s.group_id) ?? stringOf(s.consistencygroup_id);
  if (!groupId) throw badRequest(`Invalid input for field/attribute ${KINDS[collection].one}. Value: None. 'group_id' is a required property`);
  return routedCreate(deps, c, await podOf(deps, c, groupId, 'group'), collection, body, s);
}

/** The `delete` action with `delete-volumes` true: the group's volumes go with it. */
function deletesVolumes(body: unknown): boolean {
  const d = (body as { delete?: Record<string, unknown> } | null)?.delete;
  return !!d && typeof d === 'object' && boolFromString(String(d['delete-volumes'] ?? 'false')) === true;
}

/**
 * Everything by id. A group `delete` with `delete-volumes` the pod accepted takes the group's
 * volumes too: their routings turn deleting (the volumes the pod listed in the group, with the
 * caller's token, just before), and the deletion jobs remove them once the pod has.
 */
export async function groupById(deps: VolumeDeps, c: Context<GatewayEnv>, collection: GroupCollection): Promise<Response> {
  const { type } = KINDS[collection];
  let members: string[] = [];
  const { response, status, pod } = await forwardById(deps, c, {
    type,
    service: 'volumev3',
    collection,
    missing: (id) => (type === 'group' ? `Group ${id} could not be found.` : `GroupSnapshot ${id} could not be found.`),
    transform: groupView(await idMaps(deps)),
    events: collection === 'consistencygroups' ? consistencyGroupEvents : type === 'group' ? GROUP_EVENTS : deletionEvents(),
    peek: {
      when: (method, sub) => type === 'group' && method === 'POST' && /^\/action\/?$/.test(sub),
      check: async (body, p) => {
        if (deletesVolumes(body)) members = await volumesInGroup(deps, c, p, c.req.param('id')!);
      },
    },
  });
  if (status >= 200 && status < 300) {
    for (const id of members) {
      const r = await deps.routes.lookup(id, 'volume');
      if (r && r.pod_id === pod.pod_id && r.status === 'active') await deps.routes.markDeleting(r);
    }
  }
  return response;
}

/** The ids of the volumes `pod` lists in group `groupId` for the caller (Cinder's `group_id` filter). */
async function volumesInGroup(deps: VolumeDeps, c: Context<GatewayEnv>, pod: Pod, groupId: string): Promise<string[]> {
  const search = `?${new URLSearchParams({ group_id: groupId, limit: '1000' })}`;
  const { answers } = await askPods(deps, c, [pod], { service: 'volumev3', name: 'group-volumes', question: () => ({ path: `/v3/${encodeURIComponent(c.get('projectId'))}/volumes`, search }), accept: (st) => st === 200 });
  const list = (answers[0]?.body as { volumes?: { id?: unknown }[] } | null)?.volumes ?? [];
  return list.flatMap((v) => (typeof v.id === 'string' ? [v.id] : []));
}

export async function listGroups(deps: VolumeDeps, c: Context<GatewayEnv>, collection: GroupCollection, detail: boolean): Promise<Response> {
  const spec = cinderListSpec({ collection, detail, projectId: c.get('projectId') });
  if (!detail) return fanoutList(deps, c, spec);
  const maps = await idMaps(deps);
  return fanoutList(deps, c, { ...spec, view: (item) => (idsToTop(item, maps), item) });
}
