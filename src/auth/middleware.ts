/**
 * Authentication middleware shared by the three listeners.
 *
 * keystone: `X-Auth-Token` is validated with Keystone (cached by the validator); no or bad token
 *   → 401 with keystonemiddleware's body and `WWW-Authenticate`; Keystone down → 503.
 * noauth (development only): identity from X-User-Id, X-Project-Id / X-Tenant-Id, X-Roles / X-Role.
 *   No roles unless sent. A token, if sent, is still forwarded to the pods.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, serviceUnavailable, type GatewayEnv } from '../http';
import type { RequestContext, TokenValidator, ValidatedIdentity } from './context';

export type AuthStrategy = 'keystone' | 'noauth';

export interface AuthenticateOptions {
  strategy: AuthStrategy;
  validator?: TokenValidator;
  /** Keystone's public URL, advertised in WWW-Authenticate. */
  authUrl?: string;
}

const ADMIN_ROLE = 'admin';

function splitRoles(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

export function hasAdminRole(roles: readonly string[]): boolean {
  return roles.some((r) => r.toLowerCase() === ADMIN_ROLE);
}

/** A request header by lower-case name, undefined when absent. */
export type HeaderOf = (name: string) => string | undefined;

/** The noauth identity a request's headers declare. */
export function noauthContext(header: HeaderOf): RequestContext {
  const roles = splitRoles(header('x-roles') ?? header('x-role'));
  return {
    userId: header('x-user-id') ?? null,
    projectId: header('x-project-id') ?? header('x-tenant-id') ?? null,
    roles,
    isAdmin: hasAdminRole(roles),
    authToken: header('x-auth-token') ?? null,
  };
}

/**
 * The caller's identity when it is known without waiting: noauth headers, or a Keystone token
 * the validator's cache holds as valid. Undefined when only `authenticate` can tell (no token, a
 * token not cached, an invalid one): the request must take the middleware's path.
 */
export function knownIdentity(opts: AuthenticateOptions, header: HeaderOf): RequestContext | undefined {
  if (opts.strategy === 'noauth') return noauthContext(header);
  const token = header('x-auth-token');
  if (!token) return undefined;
  const identity = opts.validator?.cached?.(token);
  return identity && contextOf(identity, token);
}

function contextOf(identity: ValidatedIdentity, token: string): RequestContext {
  return { userId: identity.userId, projectId: identity.projectId, roles: identity.roles, isAdmin: identity.isAdmin, authToken: token };
}

function unauthenticated(c: Context, authUrl?: string): Response {
  if (authUrl) c.header('WWW-Authenticate', `Keystone uri="${authUrl}"`);
  return c.json({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }, 401);
}

export function authenticate(opts: AuthenticateOptions): MiddlewareHandler<GatewayEnv> {
  if (opts.strategy === 'keystone' && !opts.validator) throw new Error('keystone auth needs a token validator');
  return async function authenticateMiddleware(c, next) {
    if (opts.strategy === 'noauth') {
      c.set('auth', noauthContext((name) => c.req.header(name)));
      return next();
    }
    const token = c.req.header('x-auth-token');
    if (!token) return unauthenticated(c, opts.authUrl);
    let identity;
    try {
      identity = await opts.validator!.validate(token);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw serviceUnavailable('The identity service is unavailable; try again later.', err);
    }
    if (!identity) return unauthenticated(c, opts.authUrl);
    c.set('auth', contextOf(identity, token));
    return next();
  };
}
