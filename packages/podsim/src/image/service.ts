// Minimal Glance v2: version list (300 at '/'), image list with Glance's
// paging ('next' is a relative '/v2/images?...&marker=' link, present when the
// page is full), filters, sort, and show. Errors are webob's, which Glance
// renders as {"message", "code", "title"} for JSON clients and text otherwise.
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { SimIdentity, SimServiceEnv } from '../volume/types';
import type { SimImage } from './images';
import { glanceTime, imageView } from './images';
import { IMAGE_SCHEMA, IMAGES_SCHEMA } from './schemas';

type Vars = { Variables: { identity: SimIdentity } };
type Ctx = Context<Vars>;

/** Glance's limit_param_default and api_limit_max. */
export const GLANCE_DEFAULT_LIMIT = 25;
/** List parameters that are not custom-property filters (Glance v2 images list). */
const KNOWN_PARAMS = new Set([
  'limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'visibility', 'os_hidden', 'tag', 'name', 'status', 'owner', 'disk_format',
  'container_format', 'protected', 'member_status', 'id', 'size_min', 'size_max', 'created_at', 'updated_at', 'checksum', 'os_hash_value',
]);
export const GLANCE_MAX_LIMIT = 1000;
const SORT_KEYS = [
  'name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at',
  'visibility', 'owner', 'min_disk', 'min_ram', 'virtual_size',
];
const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

class GlanceError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409, message: string) {
    super(message);
  }
}

function renderError(c: Ctx, err: GlanceError): Response {
  const title = TITLES[err.status];
  if ((c.req.header('accept') ?? '').includes('application/json')) {
    return c.json({ message: `${err.message}<br /><br />\n\n\n`, code: `${err.status} ${title}`, title }, err.status);
  }
  return c.text(`${err.status} ${title}\n\n${err.message}\n\n   `, err.status);
}

function versions(c: Ctx): Record<string, unknown> {
  const href = `${new URL(c.req.url).origin}${c.req.path.replace(/\/(versions)?\/?$/, '')}/v2/`;
  const current = ['2.17'];
  const supported = ['2.15', '2.9', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'];
  const entry = (v: string, status: string) => ({ id: `v${v}`, status, links: [{ rel: 'self', href }] });
  return { versions: [...current.map((v) => entry(v, 'CURRENT')), ...supported.map((v) => entry(v, 'SUPPORTED'))] };
}

function canSee(who: SimIdentity, img: SimImage): boolean {
  return who.isAdmin || img.visibility === 'public' || img.visibility === 'community' || img.owner === who.projectId;
}

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function listImages(images: Map<string, SimImage>, c: Ctx): Response {
  const who = c.get('identity');
  const params = new URL(c.req.url).searchParams;
  const limitText = params.get('limit');
  let limit = GLANCE_DEFAULT_LIMIT;
  if (limitText !== null) {
    if (!/^-?\d+$/.test(limitText)) throw new GlanceError(400, 'limit param must be an integer');
    limit = Number(limitText);
    if (limit < 0) throw new GlanceError(400, 'limit param must be positive');
  }
  limit = Math.min(limit, GLANCE_MAX_LIMIT);
  const keys: string[] = [];
  const dirs: string[] = [];
  for (const part of params.getAll('sort').flatMap((s) => s.split(','))) {
    const [k, d] = part.split(':');
    keys.push(k.trim());
    dirs.push((d ?? 'desc').trim());
  }
  keys.push(...params.getAll('sort_key').flatMap((s) => s.split(',')).map((s) => s.trim()));
  dirs.push(...params.getAll('sort_dir').flatMap((s) => s.split(',')).map((s) => s.trim()));
  if (keys.length === 0) keys.push('created_at');
  for (const k of keys) {
    if (!SORT_KEYS.includes(k)) {
      throw new GlanceError(400, `Invalid sort key: ${k}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
    }
  }
  while (dirs.length < keys.length) dirs.push(dirs[0] ?? 'desc');
  for (const d of dirs) if (d !== 'asc' && d !== 'desc') throw new GlanceError(400, `Invalid sort direction: ${d}`);
  for (const k of ['created_at', 'id']) if (!keys.includes(k)) (keys.push(k), dirs.push(dirs[0]));

  const hidden = (params.get('os_hidden') ?? 'false').toLowerCase();
  if (hidden !== 'true' && hidden !== 'false') {
    throw new GlanceError(400, `Invalid value '${hidden}' for 'os_hidden' filter. Valid values are 'true' or 'false'.`);
  }
  const visibility = params.get('visibility');
  const eq = (name: string, v: unknown): boolean => !params.has(name) || String(v) === params.get(name);
  const matched = [...images.values()].filter((img) => {
    if (!canSee(who, img)) return false;
    if (visibility === null) {
      if (img.visibility === 'community' && img.owner !== who.projectId) return false;
    } else if (visibility !== 'all' && img.visibility !== visibility) return false;
    if (img.os_hidden !== (hidden === 'true')) return false;
    const tags = params.getAll('tag');
    if (!tags.every((t) => img.tags.includes(t))) return false;
    // Any other parameter filters on a custom property of that name (Glance's extra properties).
    for (const [k, v] of params) if (!KNOWN_PARAMS.has(k) && img.properties[k] !== v) return false;
    return eq('name', img.name) && eq('status', img.status) && eq('owner', img.owner) &&
      eq('disk_format', img.disk_format) && eq('container_format', img.container_format) && eq('protected', img.protected);
  });
  const value = (img: SimImage, k: string): unknown => (img as unknown as Record<string, unknown>)[k];
  matched.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const r = cmp(value(x, keys[i]), value(y, keys[i]));
      if (r !== 0) return dirs[i] === 'desc' ? -r : r;
    }
    return 0;
  });
  let start = 0;
  const marker = params.get('marker');
  if (marker !== null) {
    const at = matched.findIndex((i) => i.id === marker);
    if (at < 0) throw new GlanceError(400, `No image found with ID ${marker}`);
    start = at + 1;
  }
  const pageItems = matched.slice(start, start + limit);
  params.delete('marker');
  const query = params.toString();
  const body: Record<string, unknown> = {
    images: pageItems.map(imageView),
    first: query ? `/v2/images?${query}` : '/v2/images',
    schema: '/v2/schemas/images',
  };
  if (pageItems.length !== 0 && pageItems.length === limit) {
    params.append('marker', pageItems[pageItems.length - 1].id);
    body.next = `/v2/images?${params.toString()}`;
  }
  return c.json(body);
}

export function buildGlanceApp(env: SimServiceEnv, images: Map<string, SimImage>): Hono<Vars> {
  const app = new Hono<Vars>();
  app.onError((err, c) => {
    if (err instanceof GlanceError) return renderError(c, err);
    console.error('sim glance: unexpected error', err);
    return c.text('500 Internal Server Error', 500);
  });
  app.get('/', (c) => c.json(versions(c), 300));
  app.get('/versions', (c) => c.json(versions(c)));
  app.use('/v2/*', async function glanceAuth(c, next) {
    const who = c.req.header('x-auth-token') ? await env.identify(c.req.raw.headers) : null;
    if (!who) {
      return c.json(
        { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } },
        401,
      );
    }
    c.set('identity', who);
    return next();
  });
  app.get('/v2/schemas/image', (c) => c.json(IMAGE_SCHEMA));
  app.get('/v2/schemas/images', (c) => c.json(IMAGES_SCHEMA));
  app.get('/v2/images', (c) => listImages(images, c));
  app.get('/v2/images/:id', (c) => {
    const img = images.get(c.req.param('id'));
    if (!img || !canSee(c.get('identity'), img)) throw new GlanceError(404, `No image found with ID ${c.req.param('id')}`);
    return c.json(imageView(img));
  });
  // PATCH with a JSON patch (application/openstack-images-v2.1-json-patch) on custom properties:
  // add (sets or replaces), replace (must exist), remove (must exist). Only the owner or an admin.
  app.patch('/v2/images/:id', async (c) => {
    const who = c.get('identity');
    const img = images.get(c.req.param('id'));
    if (!img || !canSee(who, img)) throw new GlanceError(404, `No image found with ID ${c.req.param('id')}`);
    if (!(c.req.header('content-type') ?? '').startsWith('application/openstack-images-v2.1-json-patch')) throw new GlanceError(400, 'Unsupported Content-Type');
    if (!who.isAdmin && img.owner !== who.projectId) throw new GlanceError(403, 'You are not permitted to modify this image.');
    let ops: unknown;
    try {
      ops = await c.req.json();
    } catch {
      throw new GlanceError(400, 'Malformed JSON in request body.');
    }
    if (!Array.isArray(ops)) throw new GlanceError(400, 'Request body must be a JSON array of operation objects.');
    const props = { ...img.properties };
    for (const op of ops as { op?: string; path?: string; value?: unknown }[]) {
      const key = /^\/([^/]+)$/.exec(op.path ?? '')?.[1];
      if (!key) throw new GlanceError(400, `Invalid JSON pointer for this resource: '${op.path}'`);
      if (op.op === 'remove' || op.op === 'replace') {
        if (!Object.hasOwn(props, key)) throw new GlanceError(409, `Property ${key} does not exist.`);
      }
      if (op.op === 'remove') delete props[key];
      else if (op.op === 'add' || op.op === 'replace') props[key] = String(op.value);
      else throw new GlanceError(400, `Operation objects must contain exactly one member named "add", "remove", or "replace".`);
    }
    img.properties = props;
    img.updated_at = glanceTime();
    return c.json(imageView(img));
  });
  app.all('*', (c) => {
    // The mount point itself with a trailing slash is still the version list.
    if (c.req.method === 'GET' && !c.req.path.includes('/v2')) return c.json(versions(c), 300);
    throw new GlanceError(404, 'The resource could not be found.');
  });
  return app;
}
