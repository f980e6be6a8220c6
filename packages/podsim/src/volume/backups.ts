// Backups: create (creating -> available, the volume passes through
// 'backing-up'), list/detail/show/update/delete and restore to a new or an
// existing volume, after cinder/api/contrib/backups.py, cinder/api/v3/backups.py
// and cinder/backup/api.py (state checks and messages).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, member, metadataField, mv, optString, readBody, resourceLinks, strictBool } from './context';
import { backupNotFound, badRequest, invalidVolume } from './faults';
import { collectionLinks, page, parseListQuery } from './listing';
import type { CinderState } from './state';
import { cinderTime } from './state';
import type { SimBackup, SimVolume } from './types';

const SORT_KEYS = new Set(['id', 'name', 'status', 'size', 'created_at', 'updated_at', 'volume_id']);
const truthy = (s: string | undefined): boolean => s !== undefined && ['1', 't', 'true', 'on', 'y', 'yes'].includes(s.toLowerCase());

function summary(c: Ctx, b: SimBackup): Record<string, unknown> {
  const out: Record<string, unknown> = { id: b.id, name: b.name, links: resourceLinks(c, 'backups', b.id) };
  if (mv(c, '3.43')) out.metadata = { ...b.metadata };
  return out;
}

function detail(st: CinderState, c: Ctx, b: SimBackup): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: b.id,
    status: b.status,
    size: b.size,
    object_count: 0,
    availability_zone: b.availabilityZone,
    container: b.container,
    created_at: b.createdAt,
    updated_at: b.updatedAt,
    name: b.name,
    description: b.description,
    fail_reason: b.failReason,
    volume_id: b.volumeId,
    links: resourceLinks(c, 'backups', b.id),
    is_incremental: b.incremental,
    has_dependent_backups: [...st.backups.values()].some((x) => x.incremental && x.volumeId === b.volumeId && x.createdAt > b.createdAt),
    snapshot_id: b.snapshotId,
    data_timestamp: b.dataTimestamp,
  };
  if (mv(c, '3.43')) out.metadata = { ...b.metadata };
  if (identity(c).isAdmin && mv(c, '3.18')) out['os-backup-project-attr:project_id'] = b.projectId;
  if (identity(c).isAdmin && mv(c, '3.56')) out.user_id = b.userId;
  return out;
}

function list(st: CinderState, c: Ctx, isDetail: boolean): Response {
  const who = identity(c);
  const q = parseListQuery(new URL(c.req.url).searchParams);
  const f = q.filters;
  const all = who.isAdmin && truthy(f.get('all_tenants'));
  const matched = [...st.backups.values()].filter((b) => {
    if (!all && b.projectId !== who.projectId) return false;
    if (f.has('name') && b.name !== f.get('name')) return false;
    if (f.has('status') && b.status !== f.get('status')) return false;
    if (f.has('volume_id') && b.volumeId !== f.get('volume_id')) return false;
    return true;
  });
  const key = (b: SimBackup, k: string): unknown =>
    k === 'created_at' ? b.createdAt : k === 'updated_at' ? b.updatedAt : k === 'volume_id' ? b.volumeId : (b as unknown as Record<string, unknown>)[k];
  const items = page(matched, q, SORT_KEYS, key, backupNotFound);
  const body: Record<string, unknown> = { backups: items.map((b) => (isDetail ? detail(st, c, b) : summary(c, b))) };
  const links = collectionLinks(c, isDetail ? 'backups/detail' : 'backups', items, q);
  if (links.length > 0) body.backups_links = links;
  return c.json(body);
}

/** Put the volume back to its status before a backup/restore held it. */
function release(st: CinderState, vol: SimVolume, busy: string, to: string): void {
  if (vol.status === busy) {
    vol.status = to;
    st.touch(vol);
  }
}

export function backupRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const backup = (c: Ctx) => st.backup(identity(c), c.req.param('id')!);

  r.get('/backups', (c) => list(st, c, false));
  r.get('/backups/detail', (c) => list(st, c, true));
  r.post('/backups', async (c) => {
    const who = identity(c);
    const b = member(await readBody(c), 'backup');
    if (typeof b.volume_id !== 'string') throw fieldError('volume_id', b, "'volume_id' is a required property");
    const vol = st.volume(who, b.volume_id);
    const force = b.force !== undefined && b.force !== null && strictBool('force', b.force);
    const incremental = b.incremental !== undefined && b.incremental !== null && strictBool('incremental', b.incremental);
    if (!['available', 'in-use'].includes(vol.status)) {
      throw invalidVolume(`Volume to be backed up must be available or in-use, but the current status is "${vol.status}".`);
    }
    if (vol.status === 'in-use' && !force) throw invalidVolume('Backing up an in-use volume must use the force flag.');
    if (incremental && ![...st.backups.values()].some((x) => x.volumeId === vol.id && x.status === 'available')) {
      throw badRequest('Invalid backup: No backups available to do an incremental backup.');
    }
    const now = cinderTime();
    const rec: SimBackup = {
      id: randomUUID(),
      projectId: vol.projectId,
      userId: who.userId,
      volumeId: vol.id,
      snapshotId: typeof b.snapshot_id === 'string' ? st.snapshot(who, b.snapshot_id).id : null,
      name: optString(b, 'name') ?? null,
      description: optString(b, 'description') ?? null,
      size: vol.size,
      status: 'creating',
      container: optString(b, 'container') ?? null,
      availabilityZone: st.env.az,
      incremental,
      metadata: (mv(c, '3.43') ? metadataField(b, 'metadata') : undefined) ?? {},
      failReason: null,
      createdAt: now,
      updatedAt: null,
      dataTimestamp: now,
    };
    st.backups.set(rec.id, rec);
    const before = vol.status;
    vol.status = 'backing-up';
    st.touch(vol);
    st.later(() => {
      release(st, vol, 'backing-up', before);
      if (rec.status === 'creating') {
        rec.status = 'available';
        rec.container ??= 'volumebackups';
        st.touch(rec);
      }
    });
    return c.json({ backup: summary(c, rec) }, 202);
  });
  r.get('/backups/:id', (c) => c.json({ backup: detail(st, c, backup(c)) }));
  r.put('/backups/:id', async (c) => {
    if (!mv(c, '3.9')) throw backupNotFound(c.req.param('id'));
    const rec = backup(c);
    const b = member(await readBody(c), 'backup');
    if ('name' in b) rec.name = optString(b, 'name') ?? null;
    if ('description' in b) rec.description = optString(b, 'description') ?? null;
    if (mv(c, '3.43') && 'metadata' in b) rec.metadata = metadataField(b, 'metadata') ?? {};
    st.touch(rec);
    return c.json({ backup: summary(c, rec) });
  });
  r.delete('/backups/:id', (c) => {
    const rec = backup(c);
    if (rec.status !== 'available' && rec.status !== 'error') {
      throw badRequest('Invalid backup: Backup status must be available or error');
    }
    rec.status = 'deleting';
    st.touch(rec);
    st.later(() => st.backups.delete(rec.id));
    return c.body(null, 202);
  });
  r.post('/backups/:id/restore', async (c) => {
    const who = identity(c);
    const rec = backup(c);
    const body = await readBody(c);
    const restore = body.restore;
    if (!isObject(restore)) throw fieldError('restore', body, "'restore' is a required property");
    if (rec.status !== 'available') throw badRequest('Invalid backup: Backup status must be available');
    let vol: SimVolume;
    if (typeof restore.volume_id === 'string') {
      vol = st.volume(who, restore.volume_id);
      if (vol.status !== 'available') throw invalidVolume('Volume to be restored to must be available');
      if (rec.size > vol.size) {
        throw invalidVolume(`volume size ${vol.size} is too small to restore backup of size ${rec.size}.`);
      }
    } else {
      const name = optString(restore, 'name') ?? `restore_backup_${rec.id}`;
      vol = newVolumeFor(st, who.projectId, who.userId, rec, name);
    }
    vol.status = 'restoring-backup';
    rec.status = 'restoring';
    st.touch(vol);
    st.later(() => {
      release(st, vol, 'restoring-backup', 'available');
      if (rec.status === 'restoring') rec.status = 'available';
    });
    return c.json({ restore: { backup_id: rec.id, volume_id: vol.id, volume_name: vol.name } }, 202);
  });
  return r;
}

/** The volume Cinder creates for a restore without volume_id. */
function newVolumeFor(st: CinderState, projectId: string, userId: string, b: SimBackup, name: string): SimVolume {
  const vol: SimVolume = {
    id: randomUUID(), projectId, userId, name, description: `auto-created_from_restore_from_backup`, size: b.size,
    status: 'creating', availabilityZone: st.env.az, volumeTypeId: st.defaultTypeId, snapshotId: null,
    sourceVolid: null, backupId: null, bootable: false, multiattach: false, metadata: {}, adminMetadata: {},
    imageMetadata: {}, attachments: [], migrationStatus: null, replicationStatus: null, host: st.host,
    serviceUuid: st.serviceUuid, groupId: null, consistencygroupId: null, createdAt: cinderTime(), updatedAt: null,
    previousStatus: null,
  };
  st.volumes.set(vol.id, vol);
  return vol;
}
