// Link building the way Nova's common.ViewBuilder does it: `self` under the versioned
// application URL, `bookmark` under the unversioned one, the project segment only when the
// request URL carried it, and `next` links that reuse the request's own host and params.
import type { NovaContext } from './context';

export interface Link {
  rel: string;
  href: string;
  type?: string;
}

/** Origin plus the mount point of Nova on this host, e.g. http://127.0.0.1:1234/compute. */
export function computeRoot(c: NovaContext): string {
  const url = new URL(c.req.url);
  const i = url.pathname.indexOf('/v2.1');
  const prefix = i >= 0 ? url.pathname.slice(0, i) : '/compute';
  return `${url.origin}${prefix}`;
}

function join(...parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, '')))
    .join('/');
}

export function selfHref(c: NovaContext, collection: string, id: string): string {
  return join(computeRoot(c), 'v2.1', c.get('urlProjectId'), collection, id);
}

export function bookmarkHref(c: NovaContext, collection: string, id: string): string {
  return join(computeRoot(c), c.get('urlProjectId'), collection, id);
}

export function resourceLinks(c: NovaContext, collection: string, id: string): Link[] {
  return [
    { rel: 'self', href: selfHref(c, collection, id) },
    { rel: 'bookmark', href: bookmarkHref(c, collection, id) },
  ];
}

/** Default and largest page size (CONF.api.max_limit). */
export const MAX_LIMIT = 1000;

/**
 * `rel: next` link when the page is full (Nova's _get_collection_links): the request's
 * query params sorted by name, with marker set to the last item.
 */
export function collectionLinks(c: NovaContext, collection: string, count: number, lastId: string | undefined): Link[] {
  const limitParam = c.req.query('limit');
  const maxItems = Math.min(limitParam !== undefined ? Number(limitParam) : MAX_LIMIT, MAX_LIMIT);
  if (!maxItems || maxItems !== count || lastId === undefined) return [];
  const params = new URL(c.req.url).searchParams;
  const merged = new Map<string, string>();
  for (const [k, v] of params) merged.set(k, v);
  merged.set('marker', lastId);
  const qs = new URLSearchParams([...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return [{ rel: 'next', href: `${join(computeRoot(c), 'v2.1', c.get('urlProjectId'), collection)}?${qs}` }];
}

/** Parse limit/marker like common.get_limit_and_marker (limit 0 means an empty page in Nova's DB layer). */
export function limitAndMarker(c: NovaContext, badRequest: (m: string) => Error): { limit: number; marker?: string } {
  const raw = c.req.query('limit');
  let limit = MAX_LIMIT;
  if (raw !== undefined) {
    if (!/^[0-9]+$/.test(raw)) {
      throw badRequest(`Invalid input for query parameters limit. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`);
    }
    limit = Math.min(Number(raw), MAX_LIMIT);
  }
  return { limit, marker: c.req.query('marker') };
}
