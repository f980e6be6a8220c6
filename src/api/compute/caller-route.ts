/**
 * A routing as the caller may see it. Another project's volume or snapshot named in a request
 * is, for a member, exactly as unknown as an id that does not exist: answering "not in this
 * pod" instead would tell one project where another project's resource lives.
 */
import type { Context } from 'hono';
import type { ResourceType } from '../../routing';
import type { Routing } from '../../store';
import type { ComputeDeps, ComputeEnv } from './deps';

export async function callerRoute(deps: ComputeDeps, c: Context<ComputeEnv>, id: string, type: ResourceType): Promise<Routing | undefined> {
  const route = await deps.routes.lookup(id, type);
  if (!route) return undefined;
  return route.project_id === c.get('projectId') || c.get('auth').isAdmin ? route : undefined;
}
