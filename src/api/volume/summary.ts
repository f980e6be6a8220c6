/**
 * `GET /volumes/summary` (3.12): one answer summed over the tenant's pods — total count and size,
 * and from 3.36 the metadata keys with every value seen. Pods that do not answer (or answer with
 * a body that is not JSON) are skipped and named in the same missing-pods header as the lists.
 */
import type { Context } from 'hono';
import { askPods, tenantPodIds } from '../../fanout';
import type { Pod } from '../../store';
import { isSupported, notFound, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';

interface Summary {
  total_size?: number;
  total_count?: number;
  metadata?: Record<string, string[]>;
}

/** The pods holding the tenant's volumes or bound to it (the volume list's pods). */
async function tenantPods(deps: VolumeDeps, projectId: string): Promise<Pod[]> {
  const ids = await tenantPodIds(deps.store, projectId, 'volume');
  return (await deps.podDir.list()).filter((p) => p.az_name !== '' && ids.has(p.pod_id));
}

export async function volumeSummary(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  // Before 3.12 `summary` is just a volume id nobody has, as in Cinder.
  if (!isSupported(c.get('apiVersion'), '3.12')) throw notFound('Volume summary could not be found.');
  const projectId = c.get('projectId');
  const pods = await tenantPods(deps, projectId);
  const path = `/v3/${encodeURIComponent(projectId)}/volumes/summary`;
  const { answers } = await askPods(deps, c, pods, { service: 'volumev3', name: 'volume-summary', question: () => ({ path }) });
  const total: Summary = { total_size: 0, total_count: 0 };
  const metadata = new Map<string, Set<string>>();
  let withMetadata = false;
  for (const a of answers) {
    // A 4xx (microversion too low, policy) is the answer, as the pod gave it.
    if (a.status >= 400) return c.body(a.text, a.status as 400, { 'content-type': a.contentType ?? 'application/json' });
    const one = (a.body as { 'volume-summary'?: Summary } | null)?.['volume-summary'] ?? {};
    total.total_size! += one.total_size ?? 0;
    total.total_count! += one.total_count ?? 0;
    if (one.metadata) {
      withMetadata = true;
      for (const [k, vs] of Object.entries(one.metadata)) {
        const set = metadata.get(k) ?? new Set<string>();
        for (const v of vs) set.add(v);
        metadata.set(k, set);
      }
    }
  }
  if (withMetadata) total.metadata = Object.fromEntries([...metadata].map(([k, vs]) => [k, [...vs]]));
  return c.json({ 'volume-summary': total });
}
