/**
 * A listener's resource routes as one table read top to bottom, each path served twice: with
 * `{project_id}` (`/v2.1/{p}/servers`, `/v3/{p}/volumes`) and without it (Nova's project-less form,
 * Cinder's since 3.67). The project scope runs per route, so the two forms never see each other's
 * middleware and `projectId` is always set for the handler.
 */
import type { Context, Hono } from 'hono';
import type { GatewayEnv } from '../../http';
import { projectScope } from './scope';

export type RouteHandler = (c: Context<GatewayEnv>) => Promise<Response> | Response;

/** One row: HTTP method ('ALL' for any), path below the version segment, handler. */
export type RouteRow = [method: string, path: string, handler: RouteHandler];

/**
 * Registers every row under both URL forms, project-less first (so a collection name is never
 * taken for a project id).
 * @example mountRoutes(api, [['POST', '/servers', (c) => createServer(deps, c)]])
 */
export function mountRoutes(api: Hono<GatewayEnv>, table: RouteRow[]): void {
  const scope = projectScope();
  for (const prefix of ['', '/:project_id']) {
    for (const [method, path, handler] of table) {
      if (method === 'ALL') api.all(prefix + path, scope, handler);
      else api.on(method, [prefix + path], scope, handler);
    }
  }
}
