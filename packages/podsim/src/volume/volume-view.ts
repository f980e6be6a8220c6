// Volume response shapes, after cinder/api/v3/views/volumes.py plus the
// contrib extensions that decorate show and detail (tenant, host, migration
// status, image metadata). Microversion-gated fields:
//   3.13 group_id · 3.21 provider_id (admin) · 3.48 shared_targets, service_uuid
//   3.61 cluster_name (admin) · 3.63 volume_type_id · 3.65 consumes_quota
// Create and update return the plain detail view without the extensions, as
// Cinder does (extensions only hook show and detail).
import type { Ctx, Link } from './context';
import { identity, mv, resourceLinks } from './context';
import type { ListQuery } from './listing';
import { collectionLinks } from './listing';
import type { CinderState } from './state';
import type { SimAttachment, SimVolume } from './types';

/** Admin metadata keys Cinder merges into the visible metadata (add_visible_admin_metadata). */
const VISIBLE_ADMIN_METADATA = ['readonly', 'attached_mode'];

export function visibleMetadata(v: SimVolume): Record<string, string> {
  const out = { ...v.metadata };
  for (const k of VISIBLE_ADMIN_METADATA) if (v.adminMetadata[k] !== undefined) out[k] = v.adminMetadata[k];
  return out;
}

export function attachmentView(a: SimAttachment, showHost: boolean): Record<string, unknown> {
  return {
    id: a.volumeId,
    attachment_id: a.id,
    volume_id: a.volumeId,
    server_id: a.serverId,
    host_name: showHost ? a.hostName : null,
    device: a.device,
    attached_at: a.attachedAt,
  };
}

export function volumeSummary(c: Ctx, v: SimVolume): Record<string, unknown> {
  return { id: v.id, name: v.name, links: resourceLinks(c, 'volumes', v.id) };
}

/** The detail view (create/update/show/list-detail). */
export function volumeDetail(st: CinderState, c: Ctx, v: SimVolume, extended = true): Record<string, unknown> {
  const who = identity(c);
  const showHost = who.isAdmin || who.roles.includes('service');
  const typeName = st.typeName(v.volumeTypeId);
  const out: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    name: v.name,
    description: v.description,
    volume_type: mv(c, '3.63') ? typeName : (typeName ?? v.volumeTypeId),
    snapshot_id: v.snapshotId,
    source_volid: v.sourceVolid,
    metadata: visibleMetadata(v),
    links: resourceLinks(c, 'volumes', v.id),
    user_id: v.userId,
    bootable: String(v.bootable),
    encrypted: false,
    replication_status: v.replicationStatus,
    consistencygroup_id: v.consistencygroupId,
    multiattach: v.multiattach,
    attachments: st.attachedOf(v).map((a) => attachmentView(a, showHost)),
  };
  if (who.isAdmin) out.migration_status = v.migrationStatus;
  if (mv(c, '3.13')) out.group_id = v.groupId;
  if (who.isAdmin && mv(c, '3.21')) out.provider_id = null;
  if (mv(c, '3.48')) {
    out.shared_targets = false;
    out.service_uuid = v.serviceUuid;
  }
  if (who.isAdmin && mv(c, '3.61')) out.cluster_name = null;
  if (mv(c, '3.63')) out.volume_type_id = v.volumeTypeId;
  if (mv(c, '3.65')) out.consumes_quota = true;
  if (extended) {
    out['os-vol-tenant-attr:tenant_id'] = v.projectId;
    if (who.isAdmin) {
      out['os-vol-host-attr:host'] = v.host;
      out['os-vol-mig-status-attr:migstat'] = v.migrationStatus;
      out['os-vol-mig-status-attr:name_id'] = null;
    }
    if (Object.keys(v.imageMetadata).length > 0) out.volume_image_metadata = { ...v.imageMetadata };
  }
  return out;
}

/** `{volumes: [...], volumes_links?, count?}` for GET /volumes and /volumes/detail. */
export function volumeList(
  st: CinderState,
  c: Ctx,
  page: SimVolume[],
  q: ListQuery,
  detail: boolean,
  count: number | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    volumes: page.map((v) => (detail ? volumeDetail(st, c, v) : volumeSummary(c, v))),
  };
  const links: Link[] = collectionLinks(c, detail ? 'volumes/detail' : 'volumes', page, q);
  if (links.length > 0) body.volumes_links = links;
  if (count !== undefined) body.count = count;
  return body;
}
