/**
 * A listener's resource routes as one table read top to bottom, each path served twice: with
 * `{project_id}` (`/v2.1/{p}/servers`, `/v3/{p}/volumes`) and without it (Nova's project-less form,
 * Cinder's since 3.67). The project scope runs per route, so the two forms never see each other's
 * middleware and `projectId` is always set for the handler.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { notFoundHandler, type GatewayEnv } from '../../http';
import { projectScope } from './scope';

export type RouteHandler = (c: Context<GatewayEnv>) => Promise<Response> | Response;

/** One row: HTTP method ('ALL' for any), path below the version segment, handler. */
export type RouteRow = [method: string, path: string, handler: RouteHandler];

/** A path below the version segment that ends in '/': `/v3/{p}/volumes/`, `/v2.1/servers/{id}/`. */
const TRAILING_SLASH = /^\/[^/]+\/.+\/$/;

/**
 * Nova and Cinder route with the Routes library, whose Mapper matches a path exactly
 * (`minimization` off: no optional trailing slash), so `GET /v3/{p}/volumes/` is 404 there — a
 * client that built `/volumes/{id}` with an empty id must not get the list (Tempest's
 * test_get_volume_without_passing_volume_id). The listeners themselves are lenient about a
 * trailing slash (the version documents answer at `/v2.1/` and `/v3/`), so the resource routes
 * refuse it here, once for every row.
 */
const exactPaths: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  if (TRAILING_SLASH.test(new URL(c.req.url).pathname)) return notFoundHandler(c);
  return next();
};

/**
 * Registers every row under both URL forms, project-less first (so a collection name is never
 * taken for a project id), and only at the exact path (no trailing slash).
 * @example mountRoutes(api, [['POST', '/servers', (c) => createServer(deps, c)]])
 */
export function mountRoutes(api: Hono<GatewayEnv>, table: RouteRow[]): void {
  const scope = projectScope();
  api.use('*', exactPaths);
  for (const prefix of ['', '/:project_id']) {
    for (const [method, path, handler] of table) {
      if (method === 'ALL') api.all(prefix + path, scope, handler);
      else api.on(method, [prefix + path], scope, handler);
    }
  }
}
