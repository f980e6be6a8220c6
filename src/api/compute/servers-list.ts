/**
 * `GET /servers[/detail]` — provisional: parallel to the pods that hold the project's servers,
 * only routed ids, newest first. The full merge-sort/pagination/partial-result machinery is the
 * fan-out issue's (src/fanout).
 */
import type { Context } from 'hono';
import { callPod } from '../../proxy';
import { publicBase } from '../common';
import { rewriteLinks, serviceRoot, podRef } from '../../proxy';
import type { ComputeDeps, ComputeEnv } from './deps';
import { serverAzToTop } from './az';

interface ServerItem {
  id: string;
  created?: string;
  [k: string]: unknown;
}

export async function listServers(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const projectId = c.get('projectId');
  const routings = await deps.store.routings.list({ project_id: projectId, resource_type: 'server', status: 'active' });
  const owned = new Set(routings.map((r) => r.top_id));
  const podIds = [...new Set(routings.map((r) => r.pod_id))];
  const gw = publicBase(c, deps.publicUrl);
  const results = await Promise.allSettled(
    podIds.map(async (podId) => {
      const pod = await deps.podDir.get(podId);
      if (!pod) return [];
      const res = await callPod(deps.proxy, c, { pod, service: 'compute', projectId, timeoutMs: deps.listTimeoutMs });
      if (res.status !== 200) return (await res.dump(), []);
      const root = serviceRoot(await deps.proxy.endpoints.resolve(podRef(pod), 'compute'));
      const body = serverAzToTop(pod)(JSON.parse(rewriteLinks(await res.text(), root, gw))) as { servers?: ServerItem[] };
      return (body.servers ?? []).filter((s) => owned.has(s.id));
    }),
  );
  const servers = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  servers.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || b.id.localeCompare(a.id));
  return c.json({ servers });
}
