// Snapshots: create (creating -> available), list/detail/show/update/delete
// and snapshot metadata, after cinder/api/v3/snapshots.py, the snapshot views
// and the extended_snapshot_attributes extension (progress, project_id on
// show/detail). Snapshot views carry no links.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, member, metadataField, mv, optString, readBody, strictBool } from './context';
import { badRequest, invalidVolume, notFound, snapshotNotFound } from './faults';
import type { ListQuery } from './listing';
import { collectionLinks, matchesMetadata, page, parseListQuery, parseMetadataFilter } from './listing';
import { enforceQuota } from './quota';
import type { CinderState } from './state';
import { asCreated, cinderTime, cinderTimeExact, rememberCreated } from './state';
import type { SimSnapshot } from './types';
import { snapshotAction } from './snapshot-actions';

/** Cinder stores the name as display_name and accepts both as sort keys. */
const SORT_KEYS = new Set(['id', 'name', 'display_name', 'status', 'size', 'created_at', 'updated_at', 'volume_id']);
const truthy = (s: string | undefined): boolean => s !== undefined && ['1', 't', 'true', 'on', 'y', 'yes'].includes(s.toLowerCase());

function summary(c: Ctx, s: SimSnapshot): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    name: s.name,
    description: s.description,
    volume_id: s.volumeId,
    status: s.status,
    size: s.size,
    metadata: { ...s.metadata },
  };
  if (mv(c, '3.14')) out.group_snapshot_id = null;
  if (mv(c, '3.41')) out.user_id = s.userId;
  if (mv(c, '3.65')) out.consumes_quota = true;
  return out;
}

function detail(c: Ctx, s: SimSnapshot): Record<string, unknown> {
  return {
    ...summary(c, s),
    'os-extended-snapshot-attributes:progress': s.progress ?? (s.status === 'available' ? '100%' : '0%'),
    'os-extended-snapshot-attributes:project_id': s.projectId,
  };
}

function list(st: CinderState, c: Ctx, isDetail: boolean): Response {
  const who = identity(c);
  const q: ListQuery = parseListQuery(new URL(c.req.url).searchParams);
  const f = q.filters;
  const all = who.isAdmin && truthy(f.get('all_tenants'));
  const meta = f.has('metadata') ? parseMetadataFilter(f.get('metadata')!) : undefined;
  const matched = [...st.snapshots.values()].filter((s) => {
    if (!all && s.projectId !== who.projectId) return false;
    if (f.has('name') && s.name !== f.get('name')) return false;
    if (f.has('status') && s.status !== f.get('status')) return false;
    if (f.has('volume_id') && s.volumeId !== f.get('volume_id')) return false;
    if (meta && !matchesMetadata(s.metadata, meta)) return false;
    return true;
  });
  const key = (s: SimSnapshot, k: string): unknown =>
    k === 'created_at' ? s.createdAt : k === 'updated_at' ? s.updatedAt : k === 'volume_id' ? s.volumeId : k === 'display_name' ? s.name : (s as unknown as Record<string, unknown>)[k];
  const items = page(matched, q, SORT_KEYS, key, snapshotNotFound);
  const body: Record<string, unknown> = { snapshots: items.map((s) => (isDetail ? detail(c, s) : summary(c, s))) };
  const links = collectionLinks(c, isDetail ? 'snapshots/detail' : 'snapshots', items, q);
  if (links.length > 0) body.snapshots_links = links;
  return c.json(body);
}

export function snapshotRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const snap = (c: Ctx) => st.snapshot(identity(c), c.req.param('id')!);

  r.get('/snapshots', (c) => list(st, c, false));
  r.get('/snapshots/detail', (c) => list(st, c, true));
  r.post('/snapshots', async (c) => {
    const who = identity(c);
    const s = member(await readBody(c), 'snapshot');
    // Cinder's schema allows a null volume_id (uuid_allow_null); the lookup then fails with 404.
    if (s.volume_id === null) throw notFound('Volume None could not be found.');
    if (typeof s.volume_id !== 'string') throw fieldError('volume_id', s, "'volume_id' is a required property");
    const vol = st.volume(who, s.volume_id);
    const force = s.force !== undefined && s.force !== null && strictBool('force', s.force);
    const allowed = force || mv(c, '3.66') ? ['available', 'in-use'] : ['available'];
    if (vol.status === 'maintenance') {
      throw invalidVolume('The snapshot cannot be created when the volume is in maintenance mode.');
    }
    if (!allowed.includes(vol.status)) {
      throw invalidVolume(`Volume ${vol.id} status must be ${allowed.join(', ')}, but current status is: ${vol.status}.`);
    }
    const exact = cinderTimeExact();
    const snapshot: SimSnapshot = {
      id: randomUUID(),
      projectId: vol.projectId,
      userId: who.userId,
      volumeId: vol.id,
      name: optString(s, 'name') ?? optString(s, 'display_name') ?? null,
      description: optString(s, 'description') ?? optString(s, 'display_description') ?? null,
      size: vol.size,
      status: 'creating',
      metadata: metadataField(s, 'metadata') ?? {},
      createdAt: cinderTime(exact),
      updatedAt: null,
    };
    rememberCreated(snapshot, exact);
    enforceQuota(st, vol.projectId, { snapshots: 1, gigabytes: vol.size });
    st.snapshots.set(snapshot.id, snapshot);
    st.later(() => {
      if (snapshot.status === 'creating') {
        snapshot.status = 'available';
        st.touch(snapshot);
      }
    });
    return c.json({ snapshot: asCreated(snapshot, summary(c, snapshot)) }, 202);
  });
  r.get('/snapshots/:id', (c) => c.json({ snapshot: detail(c, snap(c)) }));
  r.put('/snapshots/:id', async (c) => {
    const s = snap(c);
    const body = member(await readBody(c), 'snapshot');
    if (Object.keys(body).length === 0) throw fieldError('snapshot', body, '{} does not have enough properties');
    if ('name' in body || 'display_name' in body) s.name = optString(body, 'name') ?? optString(body, 'display_name') ?? null;
    if ('description' in body || 'display_description' in body) {
      s.description = optString(body, 'description') ?? optString(body, 'display_description') ?? null;
    }
    st.touch(s);
    return c.json({ snapshot: summary(c, s) });
  });
  r.delete('/snapshots/:id', (c) => {
    const s = snap(c);
    if (s.status !== 'available' && s.status !== 'error') {
      throw badRequest('Invalid snapshot: Snapshot status must be available or error and must not be part of a group.');
    }
    s.status = 'deleting';
    st.touch(s);
    st.later(() => st.snapshots.delete(s.id));
    return c.body(null, 202);
  });

  r.post('/snapshots/:id/action', async (c) => snapshotAction(st, c, snap(c), await readBody(c)));

  // snapshot metadata
  r.get('/snapshots/:id/metadata', (c) => c.json({ metadata: { ...snap(c).metadata } }));
  r.post('/snapshots/:id/metadata', async (c) => {
    const s = snap(c);
    const body = await readBody(c);
    member(body, 'metadata');
    Object.assign(s.metadata, metadataField(body, 'metadata'));
    return c.json({ metadata: { ...s.metadata } });
  });
  r.put('/snapshots/:id/metadata', async (c) => {
    const s = snap(c);
    const body = await readBody(c);
    member(body, 'metadata');
    s.metadata = metadataField(body, 'metadata') ?? {};
    return c.json({ metadata: { ...s.metadata } });
  });
  r.get('/snapshots/:id/metadata/:key', (c) => {
    const s = snap(c);
    const key = c.req.param('key');
    if (!(key in s.metadata)) throw notFound(`Snapshot ${s.id} has no metadata with key ${key}.`);
    return c.json({ meta: { [key]: s.metadata[key] } });
  });
  r.put('/snapshots/:id/metadata/:key', async (c) => {
    const s = snap(c);
    const key = c.req.param('key');
    const body = await readBody(c);
    member(body, 'meta');
    const item = metadataField(body, 'meta') ?? {};
    if (!(key in item)) throw badRequest('Request body and URI mismatch');
    if (Object.keys(item).length > 1) throw badRequest('Request body contains too many items');
    s.metadata[key] = item[key];
    return c.json({ meta: item });
  });
  r.delete('/snapshots/:id/metadata/:key', (c) => {
    const s = snap(c);
    const key = c.req.param('key');
    if (!(key in s.metadata)) throw notFound(`Snapshot ${s.id} has no metadata with key ${key}.`);
    delete s.metadata[key];
    return c.body(null, 200);
  });
  return r;
}
