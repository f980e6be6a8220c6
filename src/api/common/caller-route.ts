/**
 * A routing as the caller may see it. Another project's resource named in a request is, for a
 * member, exactly as unknown as an id that does not exist: answering "not in this pod" or "in
 * another availability zone" instead would tell one project where another project's resource
 * lives. Admins see every routing.
 */
import type { Context } from 'hono';
import type { GatewayEnv } from '../../http';
import type { ResourceType, RouteTable } from '../../routing';
import type { Routing } from '../../store';

/** Whether the caller may learn where `route` lives. */
export function visibleToCaller(c: Context<GatewayEnv>, route: Routing): boolean {
  return route.project_id === c.get('projectId') || c.get('auth').isAdmin;
}

/** The routing of `id`, or undefined when there is none or the caller may not see it. */
export async function callerRoute(deps: { routes: RouteTable }, c: Context<GatewayEnv>, id: string, type: ResourceType): Promise<Routing | undefined> {
  const route = await deps.routes.lookup(id, type);
  return route && visibleToCaller(c, route) ? route : undefined;
}
