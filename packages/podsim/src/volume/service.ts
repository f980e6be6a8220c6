// The simulated Cinder v3 service: one Hono app the pod mounts at '/volume'.
// Request pipeline: request id and microversion (echoed on every answer),
// version documents without a token, then identity (401 without a token, 400
// when the URL project is not the token's, as Cinder's "Malformed request
// url"), then the resource routes. Routes are mounted twice, under
// '/v3/{project_id}' and '/v3' (the 3.67 form without project id).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { actionRoutes } from './actions';
import { attachmentRoutes } from './attachments';
import type { CinderEnv } from './context';
import { CinderFault, badRequest, faultBody, notFound } from './faults';
import { metadataRoutes } from './metadata';
import { API_VERSION_HEADER, VOLUME_SERVICE, negotiate, versionString } from './microversion';
import { miscRoutes } from './misc';
import { messageRoutes } from './messages';
import { backendAdminRoutes } from './backend-admin';
import { groupRoutes } from './groups';
import { transferRoutes } from './transfers';
import { extensionRoutes } from './extensions';
import { backupRoutes } from './backups';
import { snapshotRoutes } from './snapshots';
import type { CinderState } from './state';
import { typeRoutes } from './volume-types';
import { encryptionRoutes } from './type-encryption';
import { qosRoutes } from './qos-specs';
import { defaultTypeRoutes } from './default-types';
import { versionsBody } from './versions';
import { volumeRoutes } from './volumes';

/** First URL segments after /v3 that are collections, not project ids (3.67 URLs). */
const TOP_COLLECTIONS = new Set([
  'volumes', 'snapshots', 'backups', 'types', 'attachments', 'os-availability-zone', 'limits',
  'os-quota-sets', 'os-volume-transfer', 'volume-transfers', 'messages', 'groups', 'group_types',
  'group_snapshots', 'extensions', 'qos-specs', 'scheduler-stats', 'os-hosts', 'os-services',
  'manageable_volumes', 'manageable_snapshots', 'consistencygroups', 'cgsnapshots', 'clusters',
  'workers', 'default-types', 'os-quota-class-sets', 'capabilities', 'resource_filters',
]);

/** The project segment of '/…/v3/{project_id}/…', or undefined for the 3.67 form. */
export function projectFromPath(path: string): string | undefined {
  const m = /\/v3\/([^/]+)/.exec(path);
  if (!m || TOP_COLLECTIONS.has(m[1])) return undefined;
  return decodeURIComponent(m[1]);
}

const UNAUTHORIZED_BODY = {
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
};

function authenticate(st: CinderState): MiddlewareHandler<CinderEnv> {
  return async function cinderAuth(c, next) {
    // Mounted twice; the first mount that matches does the work.
    if (c.get('identity')) return next();
    const urlProject = projectFromPath(c.req.path);
    const who = c.req.header('x-auth-token') ? await st.env.identify(c.req.raw.headers, urlProject) : null;
    if (!who) {
      return c.json(UNAUTHORIZED_BODY, 401, { 'WWW-Authenticate': `Keystone uri="${new URL(c.req.url).origin}/identity"` });
    }
    if (urlProject !== undefined && urlProject !== who.projectId) throw badRequest('Malformed request url');
    c.set('identity', who);
    return next();
  };
}

function resourceApp(st: CinderState): Hono<CinderEnv> {
  const api = new Hono<CinderEnv>();
  api.use('*', authenticate(st));
  // Cinder's routes mapper has no '/volumes/' (trailing slash) route: a client that builds
  // '/volumes/{id}' with an empty id gets 404, not the list the lenient pod router would give.
  api.use('*', async function noTrailingSlash(c, next) {
    if (/\/v3\/[^/]+\/.+\/$/.test(new URL(c.req.url).pathname)) throw notFound('The resource could not be found.');
    return next();
  });
  api.route('/', actionRoutes(st));
  api.route('/', metadataRoutes(st));
  api.route('/', volumeRoutes(st));
  api.route('/', snapshotRoutes(st));
  api.route('/', backupRoutes(st));
  api.route('/', encryptionRoutes(st));
  api.route('/', typeRoutes(st));
  api.route('/', qosRoutes(st));
  api.route('/', defaultTypeRoutes(st));
  api.route('/', attachmentRoutes(st));
  api.route('/', miscRoutes(st));
  api.route('/', transferRoutes(st));
  api.route('/', messageRoutes(st));
  api.route('/', backendAdminRoutes(st));
  api.route('/', groupRoutes(st));
  api.route('/', extensionRoutes());
  return api;
}

export function buildCinderApp(st: CinderState): Hono<CinderEnv> {
  const app = new Hono<CinderEnv>();
  app.use('*', async function cinderRequest(c, next) {
    const requestId = `req-${randomUUID()}`;
    c.set('requestId', requestId);
    const n = negotiate(c.req.header(API_VERSION_HEADER) ?? null, st.env.maxVersion);
    c.set('apiVersion', n.version);
    if (n.fault) {
      c.res = c.json(faultBody(n.fault.status, n.fault.message), n.fault.status as 400);
    } else {
      await next();
    }
    c.res.headers.set('x-openstack-request-id', requestId);
    if (n.echo) {
      c.res.headers.set(API_VERSION_HEADER, `${VOLUME_SERVICE} ${versionString(n.echo)}`);
      c.res.headers.append('Vary', API_VERSION_HEADER);
    }
  });
  app.onError((err, c) => {
    if (err instanceof CinderFault) return c.json(faultBody(err.status, err.message), err.status as 400);
    console.error('sim cinder: unexpected error', err);
    return c.json(faultBody(500, 'The server has either erred or is incapable of performing the requested operation.'), 500);
  });
  app.get('/', (c) => c.json(versionsBody(c, st.env.maxVersion), 300));
  app.get('/v3', (c) => c.json(versionsBody(c, st.env.maxVersion)));
  app.get('/v3/', (c) => c.json(versionsBody(c, st.env.maxVersion)));
  const api = resourceApp(st);
  app.route('/v3/:project_id', api);
  app.route('/v3', api);
  app.all('*', (c) => {
    // The mount point with a trailing slash ('/volume/') is still the version list.
    if (c.req.method === 'GET' && !c.req.path.includes('/v3')) return c.json(versionsBody(c, st.env.maxVersion), 300);
    throw notFound('The resource could not be found.');
  });
  return app;
}
