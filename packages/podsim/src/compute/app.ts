// Assembly of the simulated Nova: version documents, then auth, microversion negotiation
// and fault rendering around every /v2.1 route. Resources are registered twice, with and
// without the project segment, because Nova routes both /v2.1/{project_id}/servers and
// /v2.1/servers.
import { Hono, type MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import { faultBody, NovaError, type NovaEnv } from './context';
import { computeHostZone, type NovaDeps, type RegisterFn } from './deps';
import { MIN_VERSION, mustParse, negotiate, versionHeaders, type ApiVersion } from './microversion';
import { versionList, versionShow, versionShowV20 } from './versions';

/** First path segments that are Nova collections, so not a project id. */
export const TOP_LEVEL = new Set([
  'servers', 'flavors', 'os-keypairs', 'os-availability-zone', 'os-services', 'os-hypervisors',
  'limits', 'os-quota-sets', 'os-aggregates', 'os-server-external-events', 'images',
  'os-server-groups', 'os-simple-tenant-usage', 'extensions', 'os-migrations', 'os-instance_usage_audit_log',
  'os-console-auth-tokens', 'os-quota-class-sets', 'os-assisted-volume-snapshots', 'os-volumes', 'os-snapshots', 'os-hosts',
]);

/** Split '/compute/v2.1/<rest>' into the URL project id (if any) and whether it is the root. */
export function classifyPath(pathname: string): { isRoot: boolean; urlProjectId?: string } {
  const i = pathname.indexOf('/v2.1');
  const rest = pathname.slice(i + '/v2.1'.length).split('/').filter((s) => s !== '');
  if (rest.length === 0) return { isRoot: true };
  if (TOP_LEVEL.has(rest[0])) return { isRoot: false };
  return { isRoot: false, urlProjectId: decodeURIComponent(rest[0]) };
}

const UNAUTHORIZED = {
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
};

function render(err: unknown, version: ApiVersion | undefined, requestId: string): Response {
  const status = err instanceof NovaError ? err.status : 500;
  const message = err instanceof NovaError ? err.message : 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.';
  if (!(err instanceof NovaError)) console.error('[sim nova] unexpected error', err);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-openstack-request-id': requestId,
    'x-compute-request-id': requestId,
    ...(version ? versionHeaders(version) : {}),
    ...(err instanceof NovaError ? err.headers : {}),
  };
  return new Response(JSON.stringify(faultBody(status, message)), { status, headers });
}

/** Auth, microversion and faults around every /v2.1 request. */
function novaMiddleware(deps: NovaDeps, min: ApiVersion, max: ApiVersion): MiddlewareHandler<NovaEnv> {
  return async function novaRequest(c, next) {
    const requestId = `req-${randomUUID()}`;
    const { isRoot, urlProjectId } = classifyPath(new URL(c.req.url).pathname);
    c.set('urlProjectId', urlProjectId);
    c.set('az', computeHostZone(deps));
    c.set('requestId', requestId);
    if (!isRoot) {
      const who = await deps.env.identify(c.req.raw.headers, urlProjectId);
      if (!who) {
        return c.json(UNAUTHORIZED, 401, { 'WWW-Authenticate': 'Keystone uri="http://127.0.0.1/identity"' });
      }
      c.set('identity', who);
    }
    const n = negotiate(c.req.raw.headers, min, max);
    if (!n.ok) return render(new NovaError(n.status, n.message), n.version, requestId);
    c.set('version', n.version);
    if (!isRoot && urlProjectId !== undefined && c.get('identity').projectId !== urlProjectId) {
      const msg = `Malformed request URL: URL's project_id '${urlProjectId}' doesn't match Context's project_id '${c.get('identity').projectId}'`;
      return render(new NovaError(400, msg), n.version, requestId);
    }
    try {
      await next();
    } catch (err) {
      c.res = render(err, n.version, requestId);
      return;
    }
    if (c.error) c.res = render(c.error, n.version, requestId);
    for (const [k, v] of Object.entries(versionHeaders(n.version))) c.res.headers.set(k, v);
    c.res.headers.set('x-openstack-request-id', requestId);
    c.res.headers.set('x-compute-request-id', requestId);
  };
}

/**
 * Build the Hono app mounted at /compute.
 * @param register resource modules, each adding its routes to the /v2.1 API
 */
export function buildComputeApp(deps: NovaDeps, register: RegisterFn[]): Hono {
  const min = mustParse(MIN_VERSION);
  const max = mustParse(deps.env.maxVersion);
  const app = new Hono();
  app.get('/', (c) => versionList(c, deps.env.maxVersion, MIN_VERSION));
  app.get('/v2', (c) => versionShowV20(c));

  const api = new Hono<NovaEnv>();
  for (const r of register) r(api, deps);

  const v21 = new Hono<NovaEnv>();
  v21.use('*', novaMiddleware(deps, min, max));
  v21.get('/', (c) => versionShow(c, deps.env.maxVersion, MIN_VERSION));
  // Nova's Routes mapper matches exact paths: '/servers/' (an empty id) is 404, not the list the
  // pod's lenient router would give. Only '/{project_id}/' (a hex project) is a route of its own.
  v21.use('*', async (c, next) => {
    const m = /\/v2\.1\/(.+)\/$/.exec(new URL(c.req.url).pathname);
    if (m && !/^[0-9a-f-]+$/.test(m[1]!)) throw new NovaError(404, 'The resource could not be found.');
    return next();
  });
  v21.route('/', api);
  v21.route('/:project_id', api);
  // Registered after both mounts: a catch-all on `api` would shadow the project-prefixed routes.
  v21.all('*', () => {
    throw new NovaError(404, 'The resource could not be found.');
  });
  v21.onError((err, c) => render(err, c.get('version'), `req-${randomUUID()}`));
  app.route('/v2.1', v21);
  return app;
}
