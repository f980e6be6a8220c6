/**
 * One access-log line per request, built once at the end: request id, listener, project,
 * route template, pod, status, duration. The same observation feeds the metrics.
 *
 * Never logged: headers (tokens travel in X-Auth-Token / Authorization), query strings and
 * bodies. Health checks and scrapes are logged at debug level: a load balancer polling every
 * second would otherwise drown the journal.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from './log';
import type { RequestObservation } from './gateway-metrics';

export interface AccessLogOptions {
  listener: 'admin' | 'compute' | 'volume';
  log: Logger;
  /** Receives each finished request, for metrics. */
  observe?: (r: RequestObservation) => void;
}

/** Paths polled by machines, logged at debug level. */
const QUIET_PATHS: ReadonlySet<string> = new Set(['/healthcheck', '/metrics']);
/** Route label of requests no route matched, so unknown paths cannot grow the metric without bound. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function accessLog(opts: AccessLogOptions): MiddlewareHandler {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    const status = c.res.status;
    const matched = routePath(c);
    const route = matched && matched !== '*' && matched !== '/*' ? matched : UNMATCHED_ROUTE;
    opts.observe?.({ listener: opts.listener, method: c.req.method, route, status, ms });
    const auth = c.get('auth') as { projectId?: string | null; userId?: string | null } | undefined;
    const pod = c.get('pod') as string | undefined;
    const level = QUIET_PATHS.has(c.req.path) && status < 500 ? 'debug' : 'info';
    opts.log[level]('request', {
      request_id: c.get('requestId'),
      listener: opts.listener,
      method: c.req.method,
      path: c.req.path,
      route,
      status,
      duration_ms: ms,
      project_id: auth?.projectId ?? undefined,
      user_id: auth?.userId ?? undefined,
      pod,
    });
  };
}
