/**
 * Bottom URL building (the original's `get_bottom_url`): keep the endpoint's
 * origin and its path up to and including the version segment (`/compute/v2.1`, `/volume/v3`),
 * then append the top path after the top's own version segment, so the project id the user
 * put in the URL is reused and the endpoint's `$(tenant_id)s` template is ignored.
 * Pure and allocation-light: parsed endpoints are memoised because a pod has few of them.
 */

/** One path segment that names an API version: `v2`, `v2.1`, `v3`. */
const VERSION_SEGMENT = /^v\d+(\.\d+)?$/;

/** Keystone catalog templates for the project id, old and new spelling, both quote styles. */
const PROJECT_TEMPLATE = /[$%]\((?:tenant_id|project_id)\)s/g;

/** Bound on the parsed-endpoint memo; far above any real pod count × service count. */
const ENDPOINT_MEMO_MAX = 1024;

interface ParsedEndpoint {
  origin: string;
  /** Path prefix without trailing slash; '' for the root. May still hold templates. */
  prefix: string;
  /** The path before the version segment (`/volume` of `/volume/v3/...`); '' for the root. */
  root: string;
  hasTemplate: boolean;
}

const memo = new Map<string, ParsedEndpoint>();

function parseEndpoint(endpoint: string): ParsedEndpoint {
  const hit = memo.get(endpoint);
  if (hit) return hit;
  // WHATWG URL keeps `$(...)s` and a bare `%(` as written, so templates survive parsing.
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`unsupported endpoint scheme ${url.protocol}`);
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const version = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  const kept = version === -1 ? segments : segments.slice(0, version + 1);
  const prefix = kept.length === 0 ? '' : `/${kept.join('/')}`;
  const root = version <= 0 ? '' : `/${segments.slice(0, version).join('/')}`;
  PROJECT_TEMPLATE.lastIndex = 0;
  const parsed: ParsedEndpoint = { origin: url.origin, prefix, root, hasTemplate: PROJECT_TEMPLATE.test(prefix) };
  if (memo.size >= ENDPOINT_MEMO_MAX) memo.clear();
  memo.set(endpoint, parsed);
  return parsed;
}

/** The top path after its first version segment, with its leading slash ('' when nothing follows). */
function topRest(topPath: string): string {
  // Fast path: the top path starts with its version (`/v2.1/...`, `/v3/...`), as every
  // gateway route does.
  const start = topPath.startsWith('/') ? 1 : 0;
  let end = topPath.indexOf('/', start);
  if (end === -1) end = topPath.length;
  if (VERSION_SEGMENT.test(topPath.slice(start, end))) return topPath.slice(end);
  const segments = topPath.split('/');
  const i = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  if (i === -1) return start === 1 ? topPath : `/${topPath}`; // unversioned: append it whole
  const rest = segments.slice(i + 1).join('/');
  return rest === '' ? '' : `/${rest}`;
}

/** The bottom target split the way an undici Pool wants it: origin plus path-with-query. */
export interface PodTarget {
  origin: string;
  path: string;
}

/**
 * Same as `podUrl`, split into the pool key (`origin`) and the request path.
 * @throws TypeError when the endpoint is not an absolute http(s) URL
 */
export function podTarget(endpointTemplate: string, topPath: string, search: string | undefined, projectId: string): PodTarget {
  const ep = parseEndpoint(endpointTemplate);
  const prefix = ep.hasTemplate ? ep.prefix.replace(PROJECT_TEMPLATE, encodeURIComponent(projectId)) : ep.prefix;
  let path = prefix + topRest(topPath);
  if (path === '') path = '/';
  if (search && search !== '?') path += search.charCodeAt(0) === 63 /* ? */ ? search : `?${search}`;
  return { origin: ep.origin, path };
}

/**
 * The service's unversioned root, where its version list lives: `http://h:8776/` for
 * `http://h:8776/v3/%(project_id)s`, `http://h/volume/` for `http://h/volume/v3/...`. Cinder
 * answers its version list only there (300, no token); below `/v3/` it wants a token.
 * @throws TypeError when the endpoint is not an absolute http(s) URL
 */
export function podRootTarget(endpointTemplate: string): PodTarget {
  const ep = parseEndpoint(endpointTemplate);
  return { origin: ep.origin, path: `${ep.root}/` };
}

/**
 * Build the bottom URL for a top request.
 *
 * @param endpointTemplate the pod's catalog (or override) URL, may hold `$(tenant_id)s`,
 *   `$(project_id)s`, `%(tenant_id)s` or `%(project_id)s`
 * @param topPath the gateway request path, e.g. `/v2.1/{project}/servers/x`
 * @param search the query string, with or without `?`; passed verbatim (callers strip
 *   gateway-only parameters such as `availability_zone` themselves)
 * @param projectId fills the templates when the endpoint has no version segment
 * @example
 * podUrl('http://h:8774/compute/v2.1/$(tenant_id)s', '/v2.1/p1/servers/x', '?a=1', 'p1')
 * // → 'http://h:8774/compute/v2.1/p1/servers/x?a=1'
 */
export function podUrl(endpointTemplate: string, topPath: string, search: string | undefined, projectId: string): string {
  const t = podTarget(endpointTemplate, topPath, search, projectId);
  return t.origin + t.path;
}
