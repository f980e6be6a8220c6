/**
 * Links and paging parameters of the resources the gateway answers itself, built the way Nova's
 * common.ViewBuilder builds them: `self` under `/v2.1`, `bookmark` without the version, the
 * project segment only when the request URL carried one, and a `next` link (the request's own
 * query with `marker` set) only when the page is full. Every link starts at the gateway's URL.
 */
import type { Context } from 'hono';
import { firstValues, isFullPage, nextLink, publicBase } from '../../http';
import { NOVA_QUERY, pageParams, queryOf, type Page } from '../common';
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

/** Nova's get_limit_and_marker: `limit` a non-negative integer capped at `[api] max_limit`. */
export function novaPage(deps: ComputeDeps, c: Context<ComputeEnv>): Page {
  return pageParams(queryOf(c), NOVA_QUERY.limit, deps.maxLimit);
}

/**
 * `[{rel: 'next', href}]` when `count` fills the page, else `[]`. The href keeps the first value
 * of each of the request's query parameters (sorted, as webob does) with `marker` replaced by the
 * last id.
 */
export function nextLinks(deps: ComputeDeps, c: Context<ComputeEnv>, collection: string, page: Page, count: number, lastId: string | undefined): Link[] {
  if (!isFullPage(page.limit, count) || lastId === undefined) return [];
  const path = `/${join('v2.1', urlProject(c), collection)}`;
  return [nextLink(c, lastId, { publicUrl: deps.publicUrl, path, query: firstValues(queryOf(c)), sorted: true })];
}

/** `{ [key]: items, [key_links]: links }` with the links key only when there is a next page. */
export function listBody<T>(key: string, items: T[], links: Link[]): Record<string, unknown> {
  return links.length ? { [key]: items, [`${key}_links`]: links } : { [key]: items };
}
