/**
 * `/attachments[...]` (3.27): attachments are listed through their volume (an attachment created
 * by Nova inside a pod has no routing of its own), so they cannot use the sort-merging fan-out:
 * the pods holding the project's volumes answer one merged list (merged-list.ts), and only
 * attachments of volumes routed to the answering pod are kept (a shared pod never leaks another
 * project's).
 */
import type { Context } from 'hono';
import type { GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { mergedList } from './merged-list';

export async function listAttachments(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const projectId = c.get('projectId');
  const routings = await deps.store.routings.list({ project_id: projectId, resource_type: 'volume', status: 'active' });
  const volumes = new Map(routings.map((r) => [r.top_id, r]));
  const podIds = new Set(routings.map((r) => r.pod_id));
  const pods = (await deps.podDir.list()).filter((p) => podIds.has(p.pod_id));
  const path = new URL(c.req.url).pathname;
  return mergedList(deps, c, {
    key: 'attachments',
    podPath: `/v3/${encodeURIComponent(projectId)}${path.slice(path.indexOf('/attachments'))}`,
    pods,
    name: 'attachments',
    minVersion: '3.27',
    // Items of a summary list have no timestamps: newest first by the gateway's own creation
    // order of their volumes, which also breaks the ties of explicit keys.
    defaultSort: [],
    accept: (item, pod) => {
      const r = volumes.get(String(item.volume_id));
      return r?.pod_id === pod.pod_id ? { rank: r.id } : undefined;
    },
  });
}
