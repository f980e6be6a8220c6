/**
 * Provisional collection listing for routed resources: ask, in parallel, the pods that hold the
 * project's resources of one type, keep only the routed ids (reference §15.1.6), and hand back
 * the items with their routing order. Pods that fail are skipped. The full merge-sort, paging
 * and partial-result machinery is the fan-out issue's (src/fanout); this is its stand-in.
 */
import type { Context } from 'hono';
import { publicBase, type GatewayEnv } from '../http';
import type { ServiceType } from '../pods';
import type { ResourceType } from '../routing';
import type { Store } from '../store';
import { callPod } from './pass-through';
import { podRef } from './pod-ref';
import { rewriteLinks, serviceRoot } from './rewrite';
import type { RoutedDeps } from './routed';

export interface RoutedItem {
  id: string;
  [k: string]: unknown;
}

export interface ListRoutedOptions {
  type: ResourceType;
  service: ServiceType;
  /** Body key of the collection: `servers`, `volumes`. */
  collection: string;
  projectId: string;
  /** Query string sent to the pods. @default the request's own */
  search?: string;
  timeoutMs?: number;
  /**
   * Ownership through another routed id: keep items whose `field` is routed as `type` in the
   * answering pod (attachments by their volume). @default the item's own id as `type`
   */
  via?: { field: string; type: ResourceType };
}

/** An item and the position of its routing row (creation order at the gateway). */
export interface Listed {
  item: RoutedItem;
  seq: number;
}

export async function listRouted(deps: RoutedDeps & { store: Store }, c: Context<GatewayEnv>, o: ListRoutedOptions): Promise<Listed[]> {
  const field = o.via?.field ?? 'id';
  const routings = await deps.store.routings.list({ project_id: o.projectId, resource_type: o.via?.type ?? o.type, status: 'active' });
  const routed = new Map(routings.map((r) => [r.top_id, r]));
  const podIds = [...new Set(routings.map((r) => r.pod_id))];
  const gw = publicBase(c, deps.proxy.publicUrl);
  const results = await Promise.allSettled(
    podIds.map(async (podId): Promise<Listed[]> => {
      const pod = await deps.podDir.get(podId);
      if (!pod) return [];
      const res = await callPod(deps.proxy, c, { pod, service: o.service, projectId: o.projectId, method: 'GET', search: o.search, timeoutMs: o.timeoutMs });
      if (res.status !== 200) return (await res.dump(), []);
      const root = serviceRoot(await deps.proxy.endpoints.resolve(podRef(pod), o.service));
      const body = JSON.parse(rewriteLinks(await res.text(), root, gw)) as Record<string, unknown>;
      const items = Array.isArray(body[o.collection]) ? (body[o.collection] as RoutedItem[]) : [];
      // Only ids with a routing row in THIS pod: a pod may hold resources the gateway never made.
      return items.flatMap((item) => {
        const r = routed.get(String(item[field]));
        return r?.pod_id === podId ? [{ item, seq: r.id }] : [];
      });
    }),
  );
  return results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
}
