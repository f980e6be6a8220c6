/**
 * One Hono app per listener: request id → access log → encoded traversal refused → body limit →
 * /healthcheck (every listener, no auth, as oslo.middleware's) and /metrics (admin only) → the
 * listener's routes, with one onError and one notFound rendering faults. The routes decide where
 * authentication applies (version documents of compute are public).
 */
import { Hono, type Handler } from 'hono';
import { bodyLimit, notFoundHandler, onError, pathGuard } from '../http';
import { requestId } from '../http';
import { domainFaults } from '../api/common';
import { accessLog, type AccessLogOptions } from '../ops/access-log';
import type { Logger } from '../ops/log';
import type { GatewayEnv } from '../http';

export interface ListenerOptions {
  listener: AccessLogOptions['listener'];
  log: Logger;
  maxBodyBytes: number;
  observe?: AccessLogOptions['observe'];
  /** GET/HEAD /healthcheck. */
  healthcheck?: Handler<GatewayEnv>;
  /** GET /metrics (Prometheus text); mounted only where given (the admin listener). */
  metrics?: Handler<GatewayEnv>;
}

export function buildListener(opts: ListenerOptions, routes: Hono<GatewayEnv>): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>({ strict: false });
  app.use('*', requestId());
  app.use('*', accessLog({ listener: opts.listener, log: opts.log, observe: opts.observe }));
  app.use('*', pathGuard());
  app.use('*', bodyLimit(opts.maxBodyBytes));
  // Registered before the routes so they answer without authentication.
  if (opts.healthcheck) app.get('/healthcheck', opts.healthcheck); // Hono answers HEAD with the GET route
  if (opts.metrics) app.get('/metrics', opts.metrics);
  app.route('/', routes);
  app.notFound(notFoundHandler);
  app.onError(onError(opts.log, domainFaults(opts.listener)));
  return app;
}
