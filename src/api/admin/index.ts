/**
 * Admin API v1.0 on its own listener: pods, bindings, routings, jobs, status. Every path, version
 * documents included, needs a valid identity; policy decides the rest (403).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { fault } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { versionsApp } from './versions';
import { podsApp } from './pods';
import { bindingsApp } from './bindings';
import { routingsApp } from './routings';
import { jobsApp } from './jobs';
import { statusApp } from './status';

export type { AdminDeps, AdminEnv } from './deps';

/** Known paths answer 405 for methods they do not serve. */
const METHOD_TABLE: [string, string[]][] = [
  ['/', ['GET']],
  ['/v1.0', ['GET']],
  ['/v1.0/pods', ['GET', 'POST']],
  ['/v1.0/pods/:id', ['GET', 'PUT', 'DELETE']],
  ['/v1.0/bindings', ['GET', 'POST']],
  ['/v1.0/bindings/:id', ['GET', 'DELETE']],
  ['/v1.0/routings', ['GET', 'POST']],
  ['/v1.0/routings/prune', ['POST']],
  ['/v1.0/routings/:id', ['GET', 'PUT', 'DELETE']],
  ['/v1.0/jobs', ['GET']],
  ['/v1.0/jobs/:id', ['GET', 'DELETE']],
  ['/v1.0/jobs/:id/retry', ['POST']],
  ['/v1.0/status', ['GET']],
];

/** Builds the admin routes; the caller adds request id, auth and error handling in front. */
export function adminRoutes(deps: AdminDeps, auth: MiddlewareHandler<AdminEnv>): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>({ strict: false });
  app.use('*', auth);
  app.route('/', versionsApp(deps));
  app.route('/v1.0/pods', podsApp(deps));
  app.route('/v1.0/bindings', bindingsApp(deps));
  app.route('/v1.0/routings', routingsApp(deps));
  app.route('/v1.0/jobs', jobsApp(deps));
  app.route('/v1.0/status', statusApp(deps));
  for (const [path, methods] of METHOD_TABLE) {
    app.all(path, (c) => fault(c, 405, `Method ${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(', ')}`, { Allow: methods.join(', ') }));
  }
  return app;
}
