/**
 * Getting a token and the admin API's URL the way keystoneauth does for `openstack`: a Keystone
 * v3 password (or token) authentication, then the endpoint of the admin service type, interface
 * and region from the token's catalog. Neither the password nor any token ever reaches an error
 * message.
 */
import type { Credentials } from './credentials';

/** The catalog service type the admin API is registered under. */
export const ADMIN_SERVICE_TYPE = 'trio2o-admin';

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string }[];
}

export interface Session {
  /** The admin API's base URL (no trailing slash, no `/v1.0`). */
  endpoint: string;
  /** Headers every admin call carries: `X-Auth-Token`, or noauth's identity headers. */
  headers: Record<string, string>;
}

/** What went wrong talking to Keystone or reading its catalog; printed as is (exit 1). */
export class AuthError extends Error {}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

function domain(name: string | undefined, id: string | undefined): Record<string, string> {
  return id ? { id } : { name: name ?? 'Default' };
}

function scope(c: Credentials): Record<string, unknown> | undefined {
  if (c.projectId) return { project: { id: c.projectId } };
  if (c.projectName) return { project: { name: c.projectName, domain: domain(c.projectDomainName, c.projectDomainId) } };
  return undefined;
}

async function keystone(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new AuthError(`cannot reach Keystone at ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
}

/** The Keystone error's own message (its body is `{"error": {"message": ...}}`), else the status. */
async function keystoneFailure(res: Response, what: string): Promise<AuthError> {
  let message = '';
  try {
    message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? '';
  } catch {
    /* not JSON */
  }
  return new AuthError(`${what}: Keystone answered ${res.status}${message ? ` (${message})` : ''}`);
}

/** A token and its catalog: password authentication, or the given token validated by itself. */
async function authenticate(c: Credentials): Promise<{ token: string; catalog: CatalogEntry[] }> {
  const base = trimSlash(c.authUrl!);
  const tokens = `${/\/v3$/.test(base) ? base : `${base}/v3`}/auth/tokens`;
  if (c.token) {
    const res = await keystone(tokens, { headers: { 'x-auth-token': c.token, 'x-subject-token': c.token, accept: 'application/json' } });
    if (res.status !== 200) throw await keystoneFailure(res, 'the token was not accepted');
    const body = (await res.json()) as { token: { catalog?: CatalogEntry[] } };
    return { token: c.token, catalog: body.token.catalog ?? [] };
  }
  const user = c.userId ? { id: c.userId, password: c.password } : { name: c.username, domain: domain(c.userDomainName, c.userDomainId), password: c.password };
  const res = await keystone(tokens, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user } }, ...(scope(c) ? { scope: scope(c) } : {}) } }),
  });
  if (res.status !== 201) throw await keystoneFailure(res, `authentication of ${c.username ?? c.userId} failed`);
  const token = res.headers.get('x-subject-token');
  if (!token) throw new AuthError('Keystone issued no X-Subject-Token');
  const body = (await res.json()) as { token: { catalog?: CatalogEntry[] } };
  return { token, catalog: body.token.catalog ?? [] };
}

/** The endpoint of `type` for the interface (and region, when given). */
export function endpointFromCatalog(catalog: CatalogEntry[], c: Pick<Credentials, 'serviceType' | 'interface' | 'regionName'>): string {
  const iface = c.interface.replace(/URL$/, '');
  const matches = catalog
    .filter((s) => s.type === c.serviceType)
    .flatMap((s) => s.endpoints)
    .filter((e) => e.interface === iface && (!c.regionName || (e.region_id ?? e.region) === c.regionName));
  if (matches.length === 0) {
    throw new AuthError(`no ${iface} endpoint for service type ${c.serviceType}${c.regionName ? ` in region ${c.regionName}` : ''} in the catalog; register one or use --endpoint URL`);
  }
  return trimSlash(matches[0]!.url).replace(/\/v1\.0$/, '');
}

/** Turns the resolved credentials into a session: headers and the admin API's base URL. */
export async function openSession(c: Credentials): Promise<Session> {
  if (c.noauth) {
    return { endpoint: trimSlash(c.endpoint!).replace(/\/v1\.0$/, ''), headers: { 'x-roles': 'admin', 'x-user-id': 'trio2o-cli', 'x-project-id': 'admin' } };
  }
  if (c.token && c.endpoint) return { endpoint: trimSlash(c.endpoint).replace(/\/v1\.0$/, ''), headers: { 'x-auth-token': c.token } };
  const { token, catalog } = await authenticate(c);
  const endpoint = c.endpoint ? trimSlash(c.endpoint).replace(/\/v1\.0$/, '') : endpointFromCatalog(catalog, c);
  return { endpoint, headers: { 'x-auth-token': token } };
}
