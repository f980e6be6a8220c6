/**
 * `/images[/detail|/{id}]`: Nova's image proxy (https://docs.openstack.org/api-ref/compute/#images-deprecated),
 * answered from the top region's Glance v2 (the `image` endpoint of the top pod, the one with an
 * empty `az_name`) with the caller's token, in Nova's shape:
 * - list is brief ({id, name, links}); detail is the full view (the original returned brief
 *   entries for detail too);
 * - Nova's query names map to Glance filters (`server` → `instance_uuid`, `type` → `image_type`,
 *   `status` lower-cased, `changes-since` → `updated_at=gte:`, `property-*` passed on); minRam and
 *   minDisk are "at least" filters applied here, as Nova documents them;
 * - from 2.36 the proxy is gone: 404, as Nova answers.
 */
import type { Context } from 'hono';
import { podRef } from '../../proxy';
import type { Pod } from '../../store';
import { ApiError, badRequest, boolFromString, isSupported, notFound, serviceUnavailable } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { listBody, nextLinks, novaPage, resourceLinks, type Link } from './links';

type GlanceImage = Record<string, unknown> & { id: string };

/** Keys of Glance's image schema; anything else is a custom property (Nova's `metadata`). */
const GLANCE_BASE = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'checksum', 'owner', 'size', 'virtual_size', 'container_format',
  'disk_format', 'created_at', 'updated_at', 'tags', 'direct_url', 'min_ram', 'min_disk', 'self', 'file', 'schema',
  'locations', 'os_hidden', 'os_hash_algo', 'os_hash_value', 'stores',
]);
// Maps: the status is text from Glance, read only for the names below.
const STATUS: ReadonlyMap<string, string> = new Map([['active', 'ACTIVE'], ['queued', 'SAVING'], ['saving', 'SAVING'], ['deleted', 'DELETED'], ['pending_delete', 'DELETED'], ['killed', 'ERROR']]);
const PROGRESS: ReadonlyMap<string, number> = new Map([['queued', 25], ['saving', 50], ['active', 100]]);

function noProxy(c: Context<ComputeEnv>): void {
  if (isSupported(c.get('apiVersion'), '2.36')) throw notFound('The resource could not be found.');
}

async function topGlance(deps: ComputeDeps): Promise<{ pod: Pod; endpoint: string }> {
  const top = (await deps.podDir.list()).find((p) => p.az_name === '');
  if (!top) throw serviceUnavailable('No top region is registered, so there is no image service to ask.');
  try {
    return { pod: top, endpoint: await deps.proxy.endpoints.resolve(podRef(top), 'image') };
  } catch (err) {
    throw serviceUnavailable(`The image service of ${top.pod_name} cannot be found: ${(err as Error).message}`, err);
  }
}

/** Top path for the pod client: it keeps the endpoint's path up to its version and drops ours. */
function glancePath(endpoint: string, rest: string): string {
  return /\/v\d+(\.\d+)?\/?$/.test(endpoint) ? `/v2${rest}` : `/v2/v2${rest}`;
}

/** One call to the top region's Glance with the caller's token; `patch` is a JSON patch to send. */
export async function glance(deps: ComputeDeps, c: Context<ComputeEnv>, rest: string, search: string, method = 'GET', patch?: unknown[]): Promise<{ status: number; body: unknown }> {
  const { pod, endpoint } = await topGlance(deps);
  const headers: Record<string, string> = { accept: 'application/json', ...(c.req.header('x-auth-token') ? { 'x-auth-token': c.req.header('x-auth-token')! } : {}) };
  if (patch) headers['content-type'] = 'application/openstack-images-v2.1-json-patch';
  const res = await deps.proxy.pods.request({
    pod: podRef(pod),
    service: 'image',
    method,
    path: glancePath(endpoint, rest),
    search,
    projectId: c.get('projectId'),
    headers,
    body: patch ? JSON.stringify(patch) : null,
    signal: c.req.raw.signal,
    requestId: c.get('requestId'),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text.trim() === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** Nova's query → Glance v2 query; returns the at-least filters Nova applies to min_ram/min_disk. */
function glanceQuery(c: Context<ComputeEnv>): { search: string; minRam?: number; minDisk?: number } {
  const q = new URLSearchParams();
  const out: { search: string; minRam?: number; minDisk?: number } = { search: '' };
  for (const [k, val] of Object.entries(c.req.query())) {
    if (k === 'name' || k === 'limit' || k === 'marker') q.set(k, val);
    else if (k === 'status') q.set('status', val.toLowerCase());
    else if (k === 'changes-since') q.set('updated_at', `gte:${val}`);
    else if (k === 'server') q.set('instance_uuid', val.slice(val.lastIndexOf('/') + 1));
    else if (k === 'type') q.set('image_type', val);
    else if (k.startsWith('property-')) q.set(k.slice('property-'.length), val);
    else if (k === 'minRam' || k === 'minDisk') {
      if (!/^\d+$/.test(val)) throw badRequest(`Invalid ${k} filter [${val}]`);
      if (k === 'minRam') out.minRam = Number(val);
      else out.minDisk = Number(val);
    }
  }
  const s = q.toString();
  out.search = s ? `?${s}` : '';
  return out;
}

export function fail(status: number, body: unknown): never {
  const message = (body as { message?: string })?.message ?? (typeof body === 'string' ? body : `The image service answered ${status}.`);
  if (status === 404) throw notFound('Image not found.');
  throw new ApiError(status >= 500 ? 502 : status, message);
}

/** Glance's custom properties of an image: Nova's image `metadata`. */
export function customProperties(img: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties: a custom property named `__proto__` stays a property.
  return Object.fromEntries(Object.entries(img).filter(([k]) => !GLANCE_BASE.has(k)));
}

function links(deps: ComputeDeps, c: Context<ComputeEnv>, endpoint: string, id: string): Link[] {
  const glanceRoot = endpoint.replace(/\/v\d+(\.\d+)?\/?$/, '').replace(/\/+$/, '');
  return [...resourceLinks(deps, c, 'images', id), { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${glanceRoot}/images/${id}` }];
}

function detailView(deps: ComputeDeps, c: Context<ComputeEnv>, endpoint: string, img: GlanceImage): Record<string, unknown> {
  const metadata = customProperties(img);
  const status = String(img.status ?? '');
  const out: Record<string, unknown> = {
    id: img.id,
    name: img.name ?? null,
    minRam: Number(img.min_ram ?? 0) || 0,
    minDisk: Number(img.min_disk ?? 0) || 0,
    metadata,
    created: img.created_at ?? null,
    updated: img.updated_at ?? null,
    status: STATUS.get(status) ?? 'UNKNOWN',
    progress: PROGRESS.get(status) ?? 0,
    'OS-EXT-IMG-SIZE:size': typeof img.size === 'number' ? img.size : img.size == null ? 0 : Number(img.size),
    links: links(deps, c, endpoint, img.id),
  };
  const server = metadata.instance_uuid;
  if (typeof server === 'string') {
    out.server = { id: server, links: resourceLinks(deps, c, 'servers', server) };
  }
  if (metadata.auto_disk_config !== undefined) out['OS-DCF:diskConfig'] = boolFromString(String(metadata.auto_disk_config)) ? 'AUTO' : 'MANUAL';
  return out;
}

async function list(deps: ComputeDeps, c: Context<ComputeEnv>, detail: boolean): Promise<Response> {
  noProxy(c);
  const q = glanceQuery(c);
  const page = novaPage(deps, c);
  const { endpoint } = await topGlance(deps);
  const r = await glance(deps, c, '/images', q.search);
  if (r.status !== 200) fail(r.status, r.body);
  const images = ((r.body as { images?: GlanceImage[] })?.images ?? []).filter(
    (i) => (q.minRam === undefined || Number(i.min_ram ?? 0) >= q.minRam) && (q.minDisk === undefined || Number(i.min_disk ?? 0) >= q.minDisk),
  );
  const items = images.map((i) => (detail ? detailView(deps, c, endpoint, i) : { id: i.id, name: i.name ?? null, links: links(deps, c, endpoint, i.id) }));
  return c.json(listBody('images', items, nextLinks(deps, c, detail ? 'images/detail' : 'images', page, images.length, images.at(-1)?.id)));
}

export const imageIndex = (deps: ComputeDeps, c: Context<ComputeEnv>) => list(deps, c, false);
export const imageDetailList = (deps: ComputeDeps, c: Context<ComputeEnv>) => list(deps, c, true);

export async function imageShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  noProxy(c);
  const id = c.req.param('image_id')!;
  const { endpoint } = await topGlance(deps);
  const r = await glance(deps, c, `/images/${encodeURIComponent(id)}`, '');
  if (r.status !== 200) fail(r.status, r.body);
  return c.json({ image: detailView(deps, c, endpoint, r.body as GlanceImage) });
}

export async function imageDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  noProxy(c);
  const id = c.req.param('image_id')!;
  const r = await glance(deps, c, `/images/${encodeURIComponent(id)}`, '', 'DELETE');
  if (r.status === 403) throw new ApiError(403, 'You are not allowed to delete the image.');
  if (r.status >= 300) fail(r.status, r.body);
  return c.body(null, 204);
}
