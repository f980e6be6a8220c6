// Nova's deprecated proxies to Cinder, `/os-volumes` and `/os-snapshots` (up to 2.35; from 2.36
// Nova answers 404: nova/api/openstack/compute/volumes.py, snapshots.py). As in Nova, every call
// goes to the pod's own Cinder with the caller's credentials (here: the in-process Cinder app, at
// Cinder's base microversion 3.0, as Nova's cinderclient asks) and the answer is translated into
// Nova's camelCase views; Cinder's refusals become what nova/volume/cinder.py makes of them:
// 400 InvalidInput (with cinderclient's text), 403 OverQuota for a volume quota, "Quota exceeded
// for resources: snapshots" for a snapshot quota, 404 VolumeNotFound / SnapshotNotFound, and the
// 500 Nova's `expected_errors` gives to an error its method does not expect.
import { badRequest, forbidden, jsonBody, NovaError, notFound, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { booleanLike } from './validate';

/** Nova answers the proxies up to 2.35 (MAX_PROXY_API_SUPPORT_VERSION). */
const LAST_PROXY_VERSION = '2.36';
const UNEXPECTED = 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.';

/** Headers of the caller's request not passed on to Cinder (the compute microversion, the body's). */
const NOT_FORWARDED = ['content-length', 'openstack-api-version', 'x-openstack-nova-api-version', 'content-type'];

interface CinderAnswer {
  status: number;
  body: Record<string, unknown>;
  /** cinderclient's text of an error: "<message> (HTTP <code>) (Request-ID: <id>)". */
  text: string;
  /** The message of Cinder's fault body. */
  message: string;
}

async function cinder(c: NovaContext, deps: NovaDeps, method: string, path: string, body?: unknown): Promise<CinderAnswer> {
  const headers = new Headers(c.req.raw.headers);
  for (const h of NOT_FORWARDED) headers.delete(h);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const projectId = c.get('identity').projectId;
  const res = await deps.volumes.app.request(`/v3/${encodeURIComponent(projectId)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // an answer that is not JSON is treated as an empty one
  }
  const fault = res.status >= 400 ? (Object.values(json)[0] as { message?: string } | undefined) : undefined;
  const message = fault?.message ?? '';
  const requestId = res.headers.get('x-openstack-request-id') ?? '';
  return { status: res.status, body: json, message, text: `${message} (HTTP ${res.status}) (Request-ID: ${requestId})` };
}

/** A Cinder error no translation in Nova catches: Nova's 500. */
const unexpected = () => new NovaError(500, UNEXPECTED);

/** translate_cinder_exception: 400 → InvalidInput, 403 → Forbidden; anything else is unexpected. */
function common(a: CinderAnswer): NovaError {
  if (a.status === 400) return badRequest(`Invalid input received: ${a.text}`);
  if (a.status === 403) return forbidden(a.text);
  return unexpected();
}

type Item = Record<string, unknown>;

/** nova.exception VolumeNotFound and SnapshotNotFound. */
const VOLUME_MISSING = (id: string) => `Volume ${id} could not be found.`;
const SNAPSHOT_MISSING = (id: string) => `Snapshot ${id} could not be found.`;

/** nova/api/openstack/compute/volumes.py `_translate_volume_summary_view` over what Nova's cinder.py keeps. */
function volumeView(v: Item): Item {
  const attachments = Array.isArray(v.attachments) ? (v.attachments as Item[]) : [];
  const first = attachments[0];
  const att: Item[] = [{}];
  if (first) {
    att[0] = { id: v.id, volumeId: v.id, serverId: first.server_id };
    if (first.device) att[0].device = first.device;
  }
  return {
    id: v.id,
    status: v.status,
    size: v.size,
    availabilityZone: v.availability_zone,
    createdAt: v.created_at,
    attachments: att,
    displayName: v.name,
    displayDescription: v.description,
    volumeType: v.volume_type,
    snapshotId: v.snapshot_id,
    metadata: v.metadata && Object.keys(v.metadata as object).length > 0 ? v.metadata : {},
  };
}

/** snapshots.py `_translate_snapshot_summary_view`: the size shown is the snapshot's (volume_size). */
function snapshotView(s: Item): Item {
  return {
    id: s.id,
    volumeId: s.volume_id,
    status: s.status,
    size: s.size,
    createdAt: s.created_at,
    displayName: s.name,
    displayDescription: s.description,
  };
}

/** `common.limited`: `offset` and `limit` (capped at max_limit 1000) of the whole list. */
function limited<T>(c: NovaContext, items: T[]): T[] {
  const int = (name: string): number | undefined => {
    const raw = c.req.query(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw badRequest(`Invalid input for query parameters ${name}. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`);
    return Number(raw);
  };
  const offset = int('offset') ?? 0;
  const limit = Math.min(int('limit') ?? 1000, 1000);
  return items.slice(offset, offset + limit);
}

function schemaError(field: string, value: unknown, rule: string): NovaError {
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${typeof value === 'string' ? value : JSON.stringify(value)}. ${rule}`);
}

/** The `volume` of schemas/volumes.py `create` (closed; `size` required, a whole number ≥ 1 or its text). */
function volumeCreateBody(body: Item): Item {
  for (const k of Object.keys(body)) if (k !== 'volume') throw badRequest(`Invalid input for field/attribute body. Additional properties are not allowed ('${k}' was unexpected)`);
  const vol = body.volume;
  if (typeof vol !== 'object' || vol === null || Array.isArray(vol)) throw schemaError('volume', vol ?? null, `${JSON.stringify(vol ?? null)} is not of type 'object'`);
  const v = vol as Item;
  const allowed = ['volume_type', 'metadata', 'snapshot_id', 'size', 'availability_zone', 'display_name', 'display_description'];
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw schemaError('volume', v, `Additional properties are not allowed ('${k}' was unexpected)`);
  for (const k of ['volume_type', 'snapshot_id', 'availability_zone', 'display_name', 'display_description']) {
    if (v[k] !== undefined && typeof v[k] !== 'string') throw schemaError(k, v[k], `${JSON.stringify(v[k])} is not of type 'string'`);
  }
  if (v.metadata !== undefined && (typeof v.metadata !== 'object' || v.metadata === null || Array.isArray(v.metadata))) {
    throw schemaError('metadata', v.metadata, `${JSON.stringify(v.metadata)} is not of type 'object'`);
  }
  if (!('size' in v)) throw schemaError('volume', v, "'size' is a required property");
  const size = v.size;
  if (typeof size === 'string') {
    if (!/^[0-9]+$/.test(size)) throw schemaError('size', size, `'${size}' does not match '^[0-9]+$'`);
  } else if (typeof size !== 'number' || !Number.isInteger(size)) {
    throw schemaError('size', size, `${JSON.stringify(size)} is not of type 'integer', 'string'`);
  } else if (size < 1) throw schemaError('size', size, `${size} is less than the minimum of 1`);
  return v;
}

function snapshotCreateBody(body: Item): { volumeId: string; force: boolean; name?: unknown; description?: unknown } {
  for (const k of Object.keys(body)) if (k !== 'snapshot') throw badRequest(`Invalid input for field/attribute body. Additional properties are not allowed ('${k}' was unexpected)`);
  const snap = body.snapshot;
  if (typeof snap !== 'object' || snap === null || Array.isArray(snap)) throw schemaError('snapshot', snap ?? null, `${JSON.stringify(snap ?? null)} is not of type 'object'`);
  const s = snap as Item;
  for (const k of Object.keys(s)) if (!['volume_id', 'force', 'display_name', 'display_description'].includes(k)) throw schemaError('snapshot', s, `Additional properties are not allowed ('${k}' was unexpected)`);
  if (s.volume_id === undefined) throw schemaError('snapshot', s, "'volume_id' is a required property");
  for (const k of ['volume_id', 'display_name', 'display_description']) {
    if (s[k] !== undefined && typeof s[k] !== 'string') throw schemaError(k, s[k], `${JSON.stringify(s[k])} is not of type 'string'`);
  }
  return { volumeId: s.volume_id as string, force: booleanLike(s.force, 'force') ?? false, name: s.display_name, description: s.display_description };
}

export function registerVolumeProxy(api: NovaApi, deps: NovaDeps): void {
  // Every proxy path is 404 from 2.36, before anything else is looked at.
  for (const path of ['/os-volumes', '/os-volumes/*', '/os-snapshots', '/os-snapshots/*']) {
    api.use(path, async (c, next) => {
      if (since(c, LAST_PROXY_VERSION)) throw notFound('The resource could not be found.');
      await next();
    });
  }

  const list = (collection: 'volumes' | 'snapshots', view: (i: Item) => Item) => async (c: NovaContext) => {
    const a = await cinder(c, deps, 'GET', `/${collection}/detail`);
    if (a.status !== 200) throw common(a);
    return c.json({ [collection]: limited(c, (a.body[collection] as Item[]).map(view)) });
  };
  api.get('/os-volumes', list('volumes', volumeView));
  api.get('/os-volumes/detail', list('volumes', volumeView));
  api.get('/os-snapshots', list('snapshots', snapshotView));
  api.get('/os-snapshots/detail', list('snapshots', snapshotView));

  const show = (collection: 'volumes' | 'snapshots', one: 'volume' | 'snapshot', view: (i: Item) => Item, missing: (id: string) => string) => async (c: NovaContext) => {
    const id = c.req.param('id')!;
    const a = await cinder(c, deps, 'GET', `/${collection}/${encodeURIComponent(id)}`);
    if (a.status === 404) throw notFound(missing(id));
    if (a.status !== 200) throw common(a);
    return c.json({ [one]: view(a.body[one] as Item) });
  };
  api.get('/os-volumes/:id', show('volumes', 'volume', volumeView, VOLUME_MISSING));
  api.get('/os-snapshots/:id', show('snapshots', 'snapshot', snapshotView, SNAPSHOT_MISSING));

  /**
   * DELETE of one volume or snapshot: 202 once Cinder accepted. Cinder's 400 (a volume or snapshot
   * in use) is Nova's 400 InvalidInput for a volume; the snapshot delete expects only 404, so there
   * it is Nova's 500.
   */
  const remove = (collection: 'volumes' | 'snapshots', missing: (id: string) => string) => async (c: NovaContext) => {
    const id = c.req.param('id')!;
    const a = await cinder(c, deps, 'DELETE', `/${collection}/${encodeURIComponent(id)}`);
    if (a.status === 404) throw notFound(missing(id));
    if (a.status >= 300) throw collection === 'volumes' ? common(a) : unexpected();
    return c.body(null, 202);
  };
  api.delete('/os-volumes/:id', remove('volumes', VOLUME_MISSING));
  api.delete('/os-snapshots/:id', remove('snapshots', SNAPSHOT_MISSING));

  api.post('/os-volumes', async (c) => {
    const v = volumeCreateBody(await jsonBody(c));
    let size = v.size;
    if (typeof v.snapshot_id === 'string') {
      const snap = await cinder(c, deps, 'GET', `/snapshots/${encodeURIComponent(v.snapshot_id)}`);
      if (snap.status === 404) throw notFound(SNAPSHOT_MISSING(v.snapshot_id));
      if (snap.status !== 200) throw common(snap);
      size ??= (snap.body.snapshot as Item).size;
    }
    const volume: Item = { size };
    if (v.snapshot_id !== undefined) volume.snapshot_id = v.snapshot_id;
    if (v.volume_type !== undefined) volume.volume_type = v.volume_type;
    if (v.availability_zone !== undefined) volume.availability_zone = v.availability_zone;
    if (v.metadata !== undefined) volume.metadata = v.metadata;
    if (v.display_name !== undefined) volume.name = v.display_name;
    if (v.display_description !== undefined) volume.description = v.display_description;
    const a = await cinder(c, deps, 'POST', '/volumes', { volume });
    if (a.status === 413) throw forbidden(a.message);
    if (a.status >= 300) throw common(a);
    const created = a.body.volume as Item;
    return c.json({ volume: volumeView(created) }, 200, { Location: `${c.req.url}/${String(created.id)}` });
  });

  api.post('/os-snapshots', async (c) => {
    const s = snapshotCreateBody(await jsonBody(c));
    const snapshot: Item = { volume_id: s.volumeId, force: s.force, name: s.name ?? null, description: s.description ?? null };
    const a = await cinder(c, deps, 'POST', '/snapshots', { snapshot });
    if (a.status === 413) throw forbidden('Quota exceeded for resources: snapshots');
    // VolumeNotFound is not among the create's expected errors (400, 403): Nova's 500.
    if (a.status === 404) throw unexpected();
    if (a.status >= 300) throw common(a);
    return c.json({ snapshot: snapshotView(a.body.snapshot as Item) });
  });
}
