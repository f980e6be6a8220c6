// Volume metadata routes, after cinder/api/v3/volume_metadata.py:
// GET (with an Etag from 3.15), POST merges, PUT replaces, and one-key
// GET/PUT/DELETE. Writes are refused while the volume is in maintenance or
// uploading, as cinder.volume.api does.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { identity, member, metadataField, mv, readBody } from './context';
import { badRequest, invalidVolume, notFound } from './faults';
import type { CinderState } from './state';
import type { SimVolume } from './types';

/** The JSON Python's json.dumps writes, which Cinder hashes for the Etag. */
function pythonJson(meta: Record<string, string>): string {
  const items = Object.entries(meta).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{"metadata": {${items.join(', ')}}}`;
}

export function metadataEtag(meta: Record<string, string>): string {
  return createHash('md5').update(pythonJson(meta)).digest('hex');
}

function writable(vol: SimVolume): void {
  if (vol.status === 'maintenance' || vol.status === 'uploading') {
    throw invalidVolume(`Updating volume metadata is not allowed for volumes in ${vol.status} status.`);
  }
}

/** 412 when an If-Match (3.15+) names an Etag other than the current one. */
function etagMismatch(c: Ctx, vol: SimVolume): boolean {
  const ifMatch = c.req.header('if-match');
  if (!mv(c, '3.15') || !ifMatch) return false;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  return !tags.includes('*') && !tags.includes(metadataEtag(vol.metadata));
}

async function metadataBody(c: Ctx): Promise<Record<string, string>> {
  const body = await readBody(c);
  member(body, 'metadata');
  return metadataField(body, 'metadata') ?? {};
}

export function metadataRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const vol = (c: Ctx): SimVolume => st.volume(identity(c), c.req.param('id')!);

  r.get('/volumes/:id/metadata', (c) => {
    const v = vol(c);
    const headers: Record<string, string> = mv(c, '3.15') ? { Etag: metadataEtag(v.metadata) } : {};
    return c.json({ metadata: { ...v.metadata } }, 200, headers);
  });
  r.post('/volumes/:id/metadata', async (c) => {
    const v = vol(c);
    const meta = await metadataBody(c);
    writable(v);
    Object.assign(v.metadata, meta);
    st.touch(v);
    return c.json({ metadata: { ...v.metadata } });
  });
  r.put('/volumes/:id/metadata', async (c) => {
    const v = vol(c);
    if (etagMismatch(c, v)) return c.body(null, 412);
    const meta = await metadataBody(c);
    writable(v);
    v.metadata = meta;
    st.touch(v);
    return c.json({ metadata: { ...v.metadata } });
  });
  r.get('/volumes/:id/metadata/:key', (c) => {
    const v = vol(c);
    const key = c.req.param('key');
    if (!Object.hasOwn(v.metadata, key)) throw notFound(`Volume ${v.id} has no metadata with key ${key}.`);
    return c.json({ meta: { [key]: v.metadata[key] } });
  });
  r.put('/volumes/:id/metadata/:key', async (c) => {
    const v = vol(c);
    if (etagMismatch(c, v)) return c.body(null, 412);
    const key = c.req.param('key');
    const body = await readBody(c);
    member(body, 'meta');
    const item = metadataField(body, 'meta') ?? {};
    if (!Object.hasOwn(item, key)) throw badRequest('Request body and URI mismatch');
    if (Object.keys(item).length > 1) throw badRequest('Request body contains too many items');
    writable(v);
    v.metadata[key] = item[key];
    st.touch(v);
    return c.json({ meta: item });
  });
  r.delete('/volumes/:id/metadata/:key', (c) => {
    const v = vol(c);
    const key = c.req.param('key');
    if (!Object.hasOwn(v.metadata, key)) throw notFound(`Volume ${v.id} has no metadata with key ${key}.`);
    if (v.status === 'maintenance' || v.status === 'uploading') {
      throw invalidVolume(`Deleting volume metadata is not allowed for volumes in ${v.status} status.`);
    }
    delete v.metadata[key];
    st.touch(v);
    return c.body(null, 200);
  });
  return r;
}
