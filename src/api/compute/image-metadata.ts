/**
 * `/images/{id}/metadata[/{key}]` (https://docs.openstack.org/api-ref/compute/#image-metadata-images-metadata-deprecated):
 * Nova's proxy over the image's custom properties, answered from the region's one Glance (the
 * top region's, which every pod shares) with the caller's token, as image_metadata.py does it:
 * reads are the image's properties; writes are Glance JSON patches. Served up to 2.38 — from 2.39
 * Nova answers 404, and so does the gateway. Nova's image-metadata quota (`maxImageMeta`) is not
 * checked here; Glance's own property quota applies.
 */
import type { Context } from 'hono';
import { badRequest, ApiError, isSupported, notFound, readJson } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { customProperties, fail, glance } from './images';

const NOT_FOUND = 'The resource could not be found.';

function checkVersion(c: Context<ComputeEnv>): void {
  if (isSupported(c.get('apiVersion'), '2.39')) throw notFound(NOT_FOUND);
}

const imagePath = (c: Context<ComputeEnv>) => `/images/${encodeURIComponent(c.req.param('image_id')!)}`;

async function properties(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Record<string, unknown>> {
  const r = await glance(deps, c, imagePath(c), '');
  if (r.status !== 200) fail(r.status, r.body);
  return customProperties(r.body as Record<string, unknown>);
}

async function patch(deps: ComputeDeps, c: Context<ComputeEnv>, ops: unknown[]): Promise<Record<string, unknown>> {
  const r = await glance(deps, c, imagePath(c), '', 'PATCH', ops);
  if (r.status === 403) throw new ApiError(403, 'You are not permitted to modify this image.');
  if (r.status !== 200) fail(r.status, r.body);
  return customProperties(r.body as Record<string, unknown>);
}

/** A `{metadata: {k: string}}` or `{meta: {k: string}}` body, as Nova's schema takes it. */
function mapOf(body: unknown, key: 'metadata' | 'meta'): Record<string, string> {
  const m = (body as Record<string, unknown> | null)?.[key];
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest(`Invalid input for field/attribute ${key}. '${key}' is a required property`);
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string' || k.length < 1 || k.length > 255 || v.length > 255) throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(m)}.`);
  }
  return m as Record<string, string>;
}

const set = (m: Record<string, string>) => Object.entries(m).map(([k, value]) => ({ op: 'add', path: `/${k}`, value }));

export async function imageMetadataIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  return c.json({ metadata: await properties(deps, c) });
}

export async function imageMetadataShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  const key = c.req.param('key')!;
  const props = await properties(deps, c);
  if (!Object.hasOwn(props, key)) throw notFound(NOT_FOUND);
  return c.json({ meta: { [key]: props[key] } });
}

/** POST: the given keys are set, the others kept. */
export async function imageMetadataCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  const m = mapOf(await readJson(c), 'metadata');
  return c.json({ metadata: await patch(deps, c, set(m)) });
}

/** PUT on the collection: the image's properties become exactly the given ones. */
export async function imageMetadataReplace(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  const m = mapOf(await readJson(c), 'metadata');
  const current = await properties(deps, c);
  const removals = Object.keys(current).filter((k) => !Object.hasOwn(m, k)).map((k) => ({ op: 'remove', path: `/${k}` }));
  await patch(deps, c, [...removals, ...set(m)]);
  return c.json({ metadata: m });
}

export async function imageMetadataUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  const key = c.req.param('key')!;
  const meta = mapOf(await readJson(c), 'meta');
  if (Object.keys(meta).length !== 1) throw badRequest(`Invalid input for field/attribute meta. Value: ${JSON.stringify(meta)}.`);
  if (!Object.hasOwn(meta, key)) throw badRequest('Request body and URI mismatch');
  await patch(deps, c, set(meta));
  return c.json({ meta });
}

export async function imageMetadataDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  checkVersion(c);
  const key = c.req.param('key')!;
  if (!Object.hasOwn(await properties(deps, c), key)) throw notFound('Invalid metadata key');
  await patch(deps, c, [{ op: 'remove', path: `/${key}` }]);
  return c.body(null, 204);
}
