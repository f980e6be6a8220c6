// Caller resolution for a simulated pod. Two modes:
// - trust: believe the request's headers (project from the URL, else X-Project-Id; user from
//   X-User-Id; roles from X-Roles). Fast, needs no Keystone; what unit tests use.
// - keystone: validate X-Auth-Token against a real Keystone, the way keystonemiddleware does,
//   so the gateway's token forwarding is exercised end to end.
// Both modes refuse a request without X-Auth-Token (null -> 401).
import type { SimIdentity } from './service-env';

export type SimAuth = { mode: 'trust' } | { mode: 'keystone'; keystoneUrl: string };

/** How long a validated Keystone token is trusted without asking again, ms. */
export const TOKEN_CACHE_MS = 60_000;
/** Users seen by trust mode when no X-User-Id is sent. */
export const DEFAULT_USER_ID = 'sim-user';

export type IdentifyFn = (headers: Headers, urlProjectId?: string) => Promise<SimIdentity | null>;

function rolesFrom(list: string[]): Pick<SimIdentity, 'roles' | 'isAdmin'> {
  const roles = list.map((r) => r.trim()).filter((r) => r !== '');
  return { roles, isAdmin: roles.includes('admin') };
}

/**
 * Build the pod's identify function.
 * @param auth trust (default) or keystone
 * @example const identify = createIdentify({ mode: 'trust' });
 */
export function createIdentify(auth: SimAuth = { mode: 'trust' }): IdentifyFn {
  if (auth.mode === 'trust') {
    return async function identifyTrust(headers, urlProjectId) {
      if (!headers.get('x-auth-token')) return null;
      return {
        projectId: urlProjectId ?? headers.get('x-project-id') ?? '',
        userId: headers.get('x-user-id') ?? DEFAULT_USER_ID,
        ...rolesFrom((headers.get('x-roles') ?? '').split(',')),
      };
    };
  }
  const base = auth.keystoneUrl.replace(/\/+$/, '').replace(/\/v3$/, '');
  const cache = new Map<string, { at: number; who: SimIdentity | null }>();
  return async function identifyKeystone(headers) {
    const token = headers.get('x-auth-token');
    if (!token) return null;
    const hit = cache.get(token);
    if (hit && Date.now() - hit.at < TOKEN_CACHE_MS) return hit.who;
    const who = await validateToken(base, token);
    if (who === undefined) return null; // Keystone unreachable: refuse, but do not remember it
    cache.set(token, { at: Date.now(), who });
    return who;
  };
}

interface TokenBody {
  token?: {
    project?: { id?: string };
    user?: { id?: string };
    roles?: { name?: string }[];
  };
}

/**
 * GET /v3/auth/tokens with the token validating itself; null when Keystone refuses it,
 * undefined when Keystone could not be asked.
 */
async function validateToken(base: string, token: string): Promise<SimIdentity | null | undefined> {
  let res: Response;
  try {
    res = await fetch(`${base}/v3/auth/tokens`, {
      headers: { 'x-auth-token': token, 'x-subject-token': token, accept: 'application/json' },
    });
  } catch {
    return undefined;
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    return null;
  }
  const body = (await res.json()) as TokenBody;
  const t = body.token ?? {};
  return {
    projectId: t.project?.id ?? '',
    userId: t.user?.id ?? '',
    ...rolesFrom((t.roles ?? []).map((r) => r.name ?? '')),
  };
}
