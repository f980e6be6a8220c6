/**
 * User messages (3.3, https://docs.openstack.org/api-ref/block-storage/v3/#messages-messages):
 * why an asynchronous request failed (a volume that went to `error` for want of a backend), kept
 * by the pod that failed. The list is one merged list of the project's pods (created_at, id
 * descending, Cinder's default); a message a project meets there for the first time is routed to
 * the pod that listed it, so show and delete go straight to that pod. A message never listed
 * is found on a miss by asking the project's pods (route-miss.ts). The pod judges the
 * microversion (404 below 3.3). Cinder's message view names no project: an admin's list (which
 * shows every project's) routes nothing.
 */
import type { Context } from 'hono';
import { deletionEvents, forwardById } from '../../proxy';
import type { GatewayEnv } from '../../http';
import { tenantPodIds } from '../../fanout';
import type { VolumeDeps } from './deps';
import { mergedList } from './merged-list';

export async function listMessages(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const projectId = c.get('projectId');
  const isAdmin = c.get('auth').isAdmin;
  const ids = await tenantPodIds(deps.store, projectId, 'volume');
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && p.enabled && (isAdmin || ids.has(p.pod_id)));
  return mergedList(deps, c, {
    key: 'messages',
    podPath: `/v3/${encodeURIComponent(projectId)}/messages`,
    pods,
    name: 'messages',
    minVersion: '3.3',
    defaultSort: [
      { key: 'created_at', dir: 'desc' },
      { key: 'id', dir: 'desc' },
    ],
    seen: async (listed) => {
      if (isAdmin) return;
      for (const { item, pod } of listed) {
        if (!(await deps.routes.peek(item.id, 'message'))) await deps.routes.adopt(projectId, pod.pod_id, 'message', item.id);
      }
    },
  });
}

export async function messageById(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'message',
    service: 'volumev3',
    collection: 'messages',
    missing: (id) => `Message ${id} could not be found.`,
    // Cinder deletes a message before it answers 204.
    events: deletionEvents({ deleteIsImmediate: true }),
  });
  return response;
}
