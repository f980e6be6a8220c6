/** One access-log line per request, built once at the end: id, listener, project, route, status, duration. */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from './log';

export interface AccessLogOptions {
  listener: 'admin' | 'compute' | 'volume';
  log: Logger;
  /** Receives each finished request, for metrics. */
  observe?: (r: { listener: string; method: string; route: string; status: number; ms: number }) => void;
}

export function accessLog(opts: AccessLogOptions): MiddlewareHandler {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    const route = routePath(c) || c.req.path;
    const status = c.res.status;
    opts.observe?.({ listener: opts.listener, method: c.req.method, route, status, ms });
    const auth = c.get('auth') as { projectId?: string | null; userId?: string | null } | undefined;
    const pod = c.get('pod') as string | undefined;
    opts.log.info('request', {
      request_id: c.get('requestId'),
      listener: opts.listener,
      method: c.req.method,
      path: c.req.path,
      route,
      status,
      ms,
      project_id: auth?.projectId ?? undefined,
      user_id: auth?.userId ?? undefined,
      pod,
    });
  };
}
