// /volumes routes: list (summary, detail, summary totals), create, show,
// update, delete. Filters follow Cinder's resource_filters.json for
// non-admins (other keys are silently dropped, as remove_invalid_filter_options
// does); all_tenants widens an admin's list to every project.
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { identity, member, metadataField, mv, optString, readBody, strictBool } from './context';
import { invalidVolume, policyDenied, volumeNotFound } from './faults';
import type { ListQuery } from './listing';
import { matchesMetadata, page, parseListQuery, parseMetadataFilter } from './listing';
import type { CinderState } from './state';
import { asCreated, cinderTime } from './state';
import type { SimVolume } from './types';
import { createVolume } from './volume-create';
import { volumeDetail, volumeList } from './volume-view';

/** Filters a non-admin may use (cinder/etc resource_filters.json, 'volume'). */
const USER_FILTERS = new Set([
  'name', 'status', 'metadata', 'bootable', 'migration_status', 'availability_zone', 'group_id', 'size',
]);
const SORT_KEYS = new Set([
  'id', 'name', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'bootable', 'volume_type',
]);
/** Statuses a volume may be deleted from without force (cinder.volume.api.API.delete). */
const DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

function sortValue(v: SimVolume, key: string): unknown {
  switch (key) {
    case 'name': return v.name;
    case 'created_at': return v.createdAt;
    case 'updated_at': return v.updatedAt;
    case 'availability_zone': return v.availabilityZone;
    case 'volume_type': return v.volumeTypeId;
    default: return (v as unknown as Record<string, unknown>)[key];
  }
}

const truthy = (s: string | undefined): boolean => s !== undefined && ['1', 't', 'true', 'on', 'y', 'yes'].includes(s.toLowerCase());

function filterVolumes(st: CinderState, c: Ctx, q: ListQuery): SimVolume[] {
  const who = identity(c);
  const f = new Map(q.filters);
  const allTenants = who.isAdmin && truthy(f.get('all_tenants'));
  f.delete('all_tenants');
  f.delete('with_count');
  if (!who.isAdmin) for (const k of [...f.keys()]) if (!USER_FILTERS.has(k)) f.delete(k);
  const meta = f.has('metadata') ? parseMetadataFilter(f.get('metadata')!) : undefined;
  const bootable = f.has('bootable') ? truthy(f.get('bootable')) : undefined;
  return [...st.volumes.values()].filter((v) => {
    if (allTenants) {
      if (f.has('project_id') && v.projectId !== f.get('project_id')) return false;
    } else if (v.projectId !== who.projectId) return false;
    if (f.has('name') && v.name !== f.get('name')) return false;
    if (f.has('status') && v.status !== f.get('status')) return false;
    if (f.has('availability_zone') && v.availabilityZone !== f.get('availability_zone')) return false;
    if (f.has('size') && String(v.size) !== f.get('size')) return false;
    if (f.has('migration_status') && (v.migrationStatus ?? '') !== f.get('migration_status')) return false;
    if (f.has('group_id') && v.groupId !== f.get('group_id')) return false;
    if (bootable !== undefined && v.bootable !== bootable) return false;
    if (meta && !matchesMetadata(v.metadata, meta)) return false;
    return true;
  });
}

async function list(st: CinderState, c: Ctx, detail: boolean): Promise<Response> {
  const params = new URL(c.req.url).searchParams;
  const q = parseListQuery(params);
  const matched = filterVolumes(st, c, q);
  const items = page(matched, q, SORT_KEYS, sortValue, volumeNotFound);
  const withCount = mv(c, '3.45') && params.has('with_count') && truthy(params.get('with_count') ?? '');
  return c.json(volumeList(st, c, items, q, detail, withCount ? matched.length : undefined));
}

export function volumeRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  r.get('/volumes', (c) => list(st, c, false));
  r.get('/volumes/detail', (c) => list(st, c, true));
  r.get('/volumes/summary', (c) => {
    if (!mv(c, '3.12')) throw volumeNotFound('summary');
    const q = parseListQuery(new URL(c.req.url).searchParams);
    const vols = filterVolumes(st, c, q);
    const summary: Record<string, unknown> = {
      total_count: vols.length,
      total_size: vols.reduce((n, v) => n + v.size, 0),
    };
    if (mv(c, '3.36')) {
      const all: Record<string, string[]> = {};
      for (const v of vols) for (const [k, x] of Object.entries(v.metadata)) (all[k] ??= []).includes(x) || all[k].push(x);
      summary.metadata = all;
    }
    return c.json({ 'volume-summary': summary });
  });
  r.post('/volumes', async (c) => {
    const vol = await createVolume(st, c);
    return c.json({ volume: asCreated(vol, volumeDetail(st, c, vol, false)) }, 202);
  });
  r.get('/volumes/:id', (c) => c.json({ volume: volumeDetail(st, c, st.volume(identity(c), c.req.param('id'))) }));
  r.put('/volumes/:id', async (c) => {
    const vol = st.volume(identity(c), c.req.param('id'));
    const v = member(await readBody(c), 'volume');
    if (vol.status === 'maintenance') throw invalidVolume('The volume cannot be updated during maintenance.');
    const name = optString(v, 'name') ?? optString(v, 'display_name');
    const desc = optString(v, 'description') ?? optString(v, 'display_description');
    const meta = metadataField(v, 'metadata');
    if ('name' in v || 'display_name' in v) vol.name = name ?? null;
    if ('description' in v || 'display_description' in v) vol.description = desc ?? null;
    if (meta !== undefined) vol.metadata = meta;
    st.touch(vol);
    return c.json({ volume: volumeDetail(st, c, vol, false) });
  });
  r.delete('/volumes/:id', (c) => {
    const who = identity(c);
    const vol = st.volume(who, c.req.param('id'));
    const params = new URL(c.req.url).searchParams;
    const cascade = params.has('cascade') && strictBool('cascade', params.get('cascade'));
    const force = mv(c, '3.23') && params.has('force') && strictBool('force', params.get('force'));
    if (force && !who.isAdmin) throw policyDenied('volume:force_delete');
    deleteVolume(st, vol, { cascade, force });
    return c.body(null, 202);
  });
  return r;
}

/** Shared by DELETE and os-force_delete: Cinder's conditional update to 'deleting'. */
export function deleteVolume(st: CinderState, vol: SimVolume, opts: { cascade: boolean; force: boolean }): void {
  const snaps = [...st.snapshots.values()].filter((s) => s.volumeId === vol.id);
  const statusOk = opts.force || DELETABLE.includes(vol.status);
  const snapsOk = snaps.length === 0 || (opts.cascade && snaps.every((s) => ['available', 'error', 'deleting'].includes(s.status)));
  if (!statusOk || st.attachedOf(vol).length > 0 || vol.migrationStatus || !snapsOk) {
    const status = opts.force ? '' : `status must be ${DELETABLE.join(' or ')} and `;
    throw invalidVolume(
      `Volume ${status}must not be migrating, attached, belong to a group, have snapshots, awaiting a ` +
        'transfer, or be disassociated from snapshots after volume transfer.',
    );
  }
  vol.status = 'deleting';
  vol.updatedAt = cinderTime();
  for (const s of snaps) s.status = 'deleting';
  st.later(() => {
    for (const s of snaps) st.snapshots.delete(s.id);
    st.volumes.delete(vol.id);
    for (const a of vol.attachments) st.attachments.delete(a.id);
  });
}

