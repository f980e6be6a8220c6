/**
 * `x-openstack-request-id` on every response. A caller's id is kept when it is a valid
 * `req-<uuid>` (so a trace crosses services); anything else is replaced, never echoed.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';
const VALID_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RequestIdVariables {
  requestId: string;
}

export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given && VALID_REQUEST_ID.test(given) ? given : `req-${randomUUID()}`;
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
