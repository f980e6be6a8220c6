/**
 * Links users receive point at the gateway's own public URL, never at a pod (users may not reach
 * pods). The base is `[<api>] public_url` when configured, else the request's own origin.
 */
import type { Context } from 'hono';

export function publicBase(c: Context, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const proto = c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
  return `${proto}://${host}`;
}

export interface NextLink {
  rel: 'next';
  href: string;
}

export interface NextLinkOptions {
  /** `[<api>] public_url`, if configured. */
  publicUrl?: string;
  /** The link's path below the public base. @default the request's own path */
  path?: string;
  /** The parameters the link carries, `marker` replaced. @default the request's own query */
  query?: URLSearchParams;
  /** Parameters sorted by name, as webob's `request.params` are in Nova's links. */
  sorted?: boolean;
}

/** A page holds `limit` items (`limit` > 0): the caller may want the next one. */
export function isFullPage(limit: number, count: number): boolean {
  return limit > 0 && count === limit;
}

/**
 * The `next` link of a page: the gateway's public URL with the request's query, `marker` set to
 * the page's last id (in place when the query had one, else last).
 * @example nextLink(c, last.id, { publicUrl, sorted: true }) // {rel: 'next', href: 'https://gw/v2.1/servers?limit=2&marker=…'}
 */
export function nextLink(c: Context, marker: string, o: NextLinkOptions = {}): NextLink {
  const url = new URL(c.req.url);
  const params = new URLSearchParams(o.query ?? url.searchParams);
  params.set('marker', marker);
  if (o.sorted) params.sort();
  return { rel: 'next', href: `${publicBase(c, o.publicUrl)}${o.path ?? url.pathname}?${params}` };
}

/** The first value of each parameter, in the order the names first appear. */
export function firstValues(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of params) if (!out.has(k)) out.append(k, v);
  return out;
}
