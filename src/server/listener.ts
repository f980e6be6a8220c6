/**
 * One Hono app per listener: request id → access log → body limit → the listener's routes, with
 * one onError and one notFound rendering faults. The routes decide where authentication applies
 * (version documents of compute are public).
 */
import { Hono } from 'hono';
import { bodyLimit, notFoundHandler, onError } from '../api/common';
import { requestId } from '../api/common';
import { accessLog, type AccessLogOptions } from '../ops/access-log';
import type { Logger } from '../ops/log';
import type { GatewayEnv } from './env';

export interface ListenerOptions {
  listener: AccessLogOptions['listener'];
  log: Logger;
  maxBodyBytes: number;
  observe?: AccessLogOptions['observe'];
}

export function buildListener(opts: ListenerOptions, routes: Hono<GatewayEnv>): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>({ strict: false });
  app.use('*', requestId());
  app.use('*', accessLog({ listener: opts.listener, log: opts.log, observe: opts.observe }));
  app.use('*', bodyLimit(opts.maxBodyBytes));
  app.route('/', routes);
  app.notFound(notFoundHandler);
  app.onError(onError(opts.log));
  return app;
}
