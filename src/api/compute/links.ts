/**
 * Links and paging parameters of the resources the gateway answers itself, built the way Nova's
 * common.ViewBuilder builds them: `self` under `/v2.1`, `bookmark` without the version, the
 * project segment only when the request URL carried one, and a `next` link (the request's own
 * query with `marker` set) only when the page is full. Every link starts at the gateway's URL.
 */
import type { Context } from 'hono';
import { badRequest, publicBase } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';

export interface Link {
  rel: string;
  href: string;
  type?: string;
}

function join(...parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, '')))
    .join('/');
}

/** The URL's `{project_id}` segment, or undefined for the project-less form. */
function urlProject(c: Context<ComputeEnv>): string | undefined {
  return c.req.param('project_id');
}

export function selfHref(deps: ComputeDeps, c: Context<ComputeEnv>, collection: string, id: string): string {
  return join(publicBase(c, deps.publicUrl), 'v2.1', urlProject(c), collection, encodeURIComponent(id));
}

export function resourceLinks(deps: ComputeDeps, c: Context<ComputeEnv>, collection: string, id: string): Link[] {
  const base = publicBase(c, deps.publicUrl);
  return [
    { rel: 'self', href: selfHref(deps, c, collection, id) },
    { rel: 'bookmark', href: join(base, urlProject(c), collection, encodeURIComponent(id)) },
  ];
}

export interface Page {
  /** Rows to return (already capped at `[api] max_limit`). */
  limit: number;
  marker?: string;
}

/** Nova's get_limit_and_marker: `limit` a non-negative integer capped at max_limit. */
export function pageParams(deps: ComputeDeps, c: Context<ComputeEnv>): Page {
  const raw = c.req.query('limit');
  let limit = deps.maxLimit;
  if (raw !== undefined) {
    if (!/^[0-9]+$/.test(raw)) throw badRequest(`Invalid input for query parameters limit. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`);
    limit = Math.min(Number(raw), deps.maxLimit);
  }
  return { limit, marker: c.req.query('marker') };
}

/**
 * `[{rel: 'next', href}]` when `count` fills the page, else `[]`. The href keeps the request's
 * query parameters (sorted, as webob does) with `marker` replaced by the last id.
 */
export function nextLinks(deps: ComputeDeps, c: Context<ComputeEnv>, collection: string, count: number, lastId: string | undefined): Link[] {
  const raw = c.req.query('limit');
  const max = Math.min(raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : deps.maxLimit, deps.maxLimit);
  if (!max || max !== count || lastId === undefined) return [];
  const params = new Map<string, string>();
  for (const [k, v] of new URL(c.req.url).searchParams) if (!params.has(k)) params.set(k, v);
  params.set('marker', lastId);
  const qs = new URLSearchParams([...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return [{ rel: 'next', href: `${join(publicBase(c, deps.publicUrl), 'v2.1', urlProject(c), collection)}?${qs}` }];
}

/** `{ [key]: items, [key_links]: links }` with the links key only when there is a next page. */
export function listBody<T>(key: string, items: T[], links: Link[]): Record<string, unknown> {
  return links.length ? { [key]: items, [`${key}_links`]: links } : { [key]: items };
}
