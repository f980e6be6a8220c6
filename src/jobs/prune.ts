/**
 * `routings_prune`: removes the routings of one pod whose resources the pod no longer has
 * (asked one by one with the gateway's credentials, a few at a time: only a 404 removes). With
 * `force` (an operator's decision, for a pod that is gone for good) every routing of the pod is
 * removed without asking, pending rows included, so the pod can be deleted.
 */
import type { ResourceType } from '../routing';
import { done, wait, type JobHandler } from './handler';
import { askResource } from './resources';
import type { RoutingCheckDeps } from './routing-checks';

export const ROUTINGS_PRUNE = 'routings_prune';

export interface PrunePayload {
  pod_id: string;
  resource_type?: ResourceType;
  force?: boolean;
}

/** Resources asked at once. */
const PRUNE_PARALLEL = 8;

export function routingsPruneHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    maxAttempts: 5,
    async run(job, ctx) {
      const p = job.payload as PrunePayload;
      const filter = { pod_id: p.pod_id, ...(p.resource_type ? { resource_type: p.resource_type } : {}) };
      const rows = (await deps.store.routings.list(filter)).filter((r) => p.force || r.status !== 'pending');
      if (p.force) {
        let removed = 0;
        for (const r of rows) if (await deps.routes.removeProven(r, r.status)) removed++;
        return done(`forced: removed all ${removed} routing(s) of pod ${p.pod_id}`);
      }
      const pod = await deps.podDir.get(p.pod_id);
      if (!pod) return done(`pod ${p.pod_id} is no longer registered; nothing to ask`);
      let removed = 0;
      let unknown = 0;
      let next = 0;
      const worker = async () => {
        while (next < rows.length && !ctx.signal.aborted) {
          const r = rows[next++]!;
          try {
            const seen = await askResource(deps.service, pod, r.resource_type as ResourceType, r.top_id, ctx.signal);
            if (seen.state === 'gone') {
              if (await deps.routes.removeProven(r, r.status)) removed++;
            } else if (seen.state === 'unknown') unknown++;
          } catch {
            unknown++;
          }
        }
      };
      await Promise.all(Array.from({ length: PRUNE_PARALLEL }, worker));
      const summary = `pod ${pod.pod_name}: ${rows.length} routing(s) checked, ${removed} removed`;
      if (unknown > 0) return wait(`${summary}, ${unknown} could not be checked`);
      return done(summary);
    },
  };
}
