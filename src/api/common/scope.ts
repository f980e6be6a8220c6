/**
 * The project a request acts for: the URL's `{project_id}` when present (`/v2.1/{p}/...`), else
 * the token's (`/v2.1/servers`, Nova's project-less form; `/v3/volumes`, Cinder's since 3.67).
 * A URL project that is not the token's is refused unless the caller is admin.
 */
import type { MiddlewareHandler } from 'hono';
import { badRequest, forbidden } from '../../http';
import type { GatewayEnv } from '../../http';

export function projectScope(): MiddlewareHandler<GatewayEnv> {
  return async function projectScopeMiddleware(c, next) {
    const auth = c.get('auth');
    const fromUrl = c.req.param('project_id');
    const projectId = fromUrl ?? auth.projectId;
    if (!projectId) throw badRequest('No project: use a project-scoped token or put the project id in the URL.');
    if (fromUrl && auth.projectId && fromUrl !== auth.projectId && !auth.isAdmin) {
      throw forbidden(`Project ${fromUrl} in the URL is not the project of the token.`);
    }
    c.set('projectId', projectId);
    await next();
  };
}
