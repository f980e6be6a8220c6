/**
 * `x-openstack-request-id` on every response. A caller's id is kept when it is a valid
 * `req-<uuid>` (so a trace crosses services); anything else is replaced, never echoed.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';
const VALID_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a caller's request id is kept (a valid `req-<uuid>`); any other is replaced. */
export const isValidRequestId = (id: string): boolean => VALID_REQUEST_ID.test(id);

export interface RequestIdVariables {
  requestId: string;
}

export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given && isValidRequestId(given) ? given : `req-${randomUUID()}`;
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
