/**
 * `GET /servers[/detail]` — provisional: the shared routed listing (parallel to the pods that
 * hold the project's servers, only routed ids), newest first. The full merge-sort/pagination/
 * partial-result machinery is the fan-out issue's (src/fanout).
 */
import type { Context } from 'hono';
import { listRouted } from '../../proxy';
import type { ComputeDeps, ComputeEnv } from './deps';
import { serverAzToTop } from './az';

export async function listServers(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const listed = await listRouted(deps, c, {
    type: 'server',
    service: 'compute',
    collection: 'servers',
    projectId: c.get('projectId'),
    transform: serverAzToTop,
    timeoutMs: deps.listTimeoutMs,
  });
  const servers = listed.map((l) => l.item as { id: string; created?: string });
  servers.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || b.id.localeCompare(a.id));
  return c.json({ servers });
}
