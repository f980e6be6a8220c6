/**
 * Ready-made specs for Cinder's lists (volumes, snapshots, backups), so the volume API wires a
 * list in one line. Cinder lists are alike: `sort=k:d` (or the legacy pair), `id` is the uuid,
 * an unknown marker is the resource's own 404, and a pod that does not answer is skipped (Cinder
 * has no minimal records).
 */
import { notFound } from '../../http';
import type { FanoutSpec } from '../../fanout';
import type { ResourceType } from '../../routing';
import { FANOUT_LIMIT } from '../common';
import { cinderSort } from './list-sort';
import { typeIdToTop } from './type-ids';

export interface CinderListOptions {
  collection: 'volumes' | 'snapshots' | 'backups' | 'groups' | 'group_snapshots' | 'consistencygroups' | 'cgsnapshots';
  /** The caller asked for `/detail`. */
  detail: boolean;
  /** Project segment of the top URL (`/v3/{project}/…`). */
  projectId: string;
  /** Pod volume type id → gateway id (volumes show `volume_type_id` from 3.63). */
  typeIds?: Map<string, string>;
}

const SHAPES: Record<CinderListOptions['collection'], { member: string; type: ResourceType; noun: string; az?: boolean; summary?: 'id-name' }> = {
  volumes: { member: 'volume', type: 'volume', noun: 'Volume', az: true },
  snapshots: { member: 'snapshot', type: 'snapshot', noun: 'Snapshot' },
  backups: { member: 'backup', type: 'backup', noun: 'Backup' },
  // Groups and group snapshots (and their consistency-group names): summaries are {id, name}.
  groups: { member: 'group', type: 'group', noun: 'Group', az: true, summary: 'id-name' },
  consistencygroups: { member: 'consistencygroup', type: 'group', noun: 'Group', az: true, summary: 'id-name' },
  group_snapshots: { member: 'group_snapshot', type: 'group_snapshot', noun: 'GroupSnapshot', summary: 'id-name' },
  cgsnapshots: { member: 'cgsnapshot', type: 'group_snapshot', noun: 'GroupSnapshot', summary: 'id-name' },
};

/** The summary of groups and group snapshots (cinder/api/v3/views/groups.py, group_snapshots.py). */
function idName(item: Record<string, unknown> & { id: string }) {
  return { id: item.id, name: item.name ?? null };
}

/** Cinder's basic (non-detail) view of volumes and backups: id, name, links. */
function basic(item: Record<string, unknown> & { id: string }) {
  return { id: item.id, name: item.name ?? null, links: item.links ?? [] };
}

/** The fields of Cinder's snapshot summary view (cinder/api/views/snapshots.py): no links. */
const SNAPSHOT_SUMMARY = ['id', 'created_at', 'updated_at', 'name', 'description', 'volume_id', 'status', 'size', 'metadata'] as const;

/** Cinder's basic view of a snapshot, cut from the detail one the pods were asked for. */
function snapshotSummary(item: Record<string, unknown> & { id: string }) {
  return { ...Object.fromEntries(SNAPSHOT_SUMMARY.map((k) => [k, item[k] ?? null])), id: item.id };
}

/**
 * @example
 * app.get('/v3/:project_id/volumes/detail', (c) =>
 *   fanoutList(deps, c, cinderListSpec({ collection: 'volumes', detail: true, projectId: c.get('projectId') })));
 */
export function cinderListSpec(o: CinderListOptions): FanoutSpec {
  const shape = SHAPES[o.collection];
  const base = `/v3/${encodeURIComponent(o.projectId)}/${o.collection}`;
  return {
    collection: o.collection,
    member: shape.member,
    resourceType: shape.type,
    service: 'volumev3',
    detail: o.detail,
    podListPath: `${base}/detail`,
    podShowPath: (id) => `${base}/${encodeURIComponent(id)}`,
    sort: cinderSort(),
    // Nova's words for a bad limit, as the merged lists have always answered.
    limit: FANOUT_LIMIT,
    view: o.detail ? (o.typeIds && o.typeIds.size > 0 ? (item) => (typeIdToTop(item, o.typeIds!), item) : undefined) : shape.summary === 'id-name' ? idName : o.collection === 'snapshots' ? snapshotSummary : basic,
    // Volumes always show their AZ (the top one); backups show it when the pod does.
    az: { param: 'availability_zone', field: 'availability_zone', always: shape.az === true && shape.type === 'volume' },
    markerNotFound: (marker) => notFound(`${shape.noun} ${marker} could not be found.`),
  };
}
