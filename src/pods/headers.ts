/**
 * Which headers cross the gateway. Requests: an allow-list only (the original copied every
 * header, Host, Content-Length and the identity headers included, which a pod must never take
 * from a caller).
 * Responses: hop-by-hop headers and any header named in `Connection` are dropped before the
 * caller sees them, so a pod cannot make the gateway strip or keep headers it adds (RFC 9110 §7.6.1).
 */

/** Request headers forwarded to a pod, lower-case. Everything else stays at the gateway. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = [
  'x-auth-token',
  'content-type',
  'accept',
  'openstack-api-version',
  'x-openstack-nova-api-version',
  'user-agent',
];

/** Connection-scoped headers (RFC 9110 §7.6.1, plus the legacy Keep-Alive and Proxy-Connection). */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The request id header sent to pods (Nova and Cinder log it as the caller's global id). */
export const REQUEST_ID_HEADER = 'x-openstack-request-id';

/** The two Connection values nearly every answer carries, as `connectionTokens` reads them. */
const KEEP_ALIVE: ReadonlySet<string> = new Set(['keep-alive']);
const CLOSE: ReadonlySet<string> = new Set(['close']);

/** Lower-case header names listed in a Connection header value ('close' and 'keep-alive' included). */
function connectionTokens(value: string | string[] | null | undefined): ReadonlySet<string> | null {
  if (!value) return null;
  if (value === 'keep-alive') return KEEP_ALIVE;
  if (value === 'close') return CLOSE;
  const joined = Array.isArray(value) ? value.join(',') : value;
  const out = new Set<string>();
  for (const t of joined.split(',')) {
    const name = t.trim().toLowerCase();
    if (name) out.add(name);
  }
  return out;
}

/**
 * The headers to send to a pod: the allow-listed ones present in `incoming` (minus any a client
 * marked hop-by-hop in `Connection`), plus the request id. Content-Length and Host are left to undici.
 * @example forwardRequestHeaders(c.req.raw.headers, c.get('requestId'))
 */
export function forwardRequestHeaders(incoming: Headers | Record<string, string>, requestId: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (incoming instanceof Headers) {
    const hop = connectionTokens(incoming.get('connection'));
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const v = incoming.get(name);
      if (v !== null && v !== '' && !hop?.has(name)) out[name] = v;
    }
  } else {
    let hop: ReadonlySet<string> | null = null;
    for (const key in incoming) {
      if (key.length === 10 && key.toLowerCase() === 'connection') hop = connectionTokens(incoming[key]);
    }
    for (const key in incoming) {
      const name = key.toLowerCase();
      const v = incoming[key];
      if (typeof v === 'string' && v !== '' && FORWARDED_REQUEST_HEADERS.includes(name) && !hop?.has(name)) out[name] = v;
    }
  }
  out[REQUEST_ID_HEADER] = requestId;
  return out;
}

/** A pod's response headers without hop-by-hop headers or those named in its `Connection`. */
export function responseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const hop = connectionTokens(raw['connection']);
  const out: Record<string, string | string[]> = {};
  for (const name in raw) {
    const v = raw[name];
    if (v === undefined || HOP_BY_HOP_HEADERS.has(name) || hop?.has(name)) continue;
    out[name] = v;
  }
  return out;
}
