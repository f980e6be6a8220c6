/**
 * `routing_delete` and `routing_verify`: a routing is removed only on proof that its resource is
 * gone, asked with the gateway's own credentials (which see every project's resources), never on
 * a 404 someone else's token got.
 *
 * - routing_delete (the pod accepted a DELETE; the row is `deleting`): the pod is polled until
 *   it answers 404, then the row goes. If the resource turns out to stay (Cinder's
 *   `error_deleting`, a server that left the deleting task state), the row is active again and
 *   counts once more. Bounded: after the last attempt the job fails with the reason kept, and
 *   the row stays `deleting` for an operator to look at.
 * - routing_verify (the owner got a 404): one question; 404 removes the row, anything else keeps it.
 */
import type { PodDirectory, RouteTable, RoutingJobPayload } from '../routing';
import type { Routing, Store } from '../store';
import { done, fail, wait, type JobHandler } from './handler';
import { askResource, RESOURCE_KINDS } from './resources';
import type { ServiceCaller } from './service-calls';

export interface RoutingCheckDeps {
  store: Store;
  routes: RouteTable;
  podDir: PodDirectory;
  service: ServiceCaller;
}

/** Polls of a deletion: 1 s doubling to 1 min, 20 polls (about 15 minutes). */
const DELETE_POLL = { backoff: { baseMs: 1_000, capMs: 60_000 }, maxAttempts: 20 };

const described = (r: Routing) => `${r.resource_type} ${r.top_id} in pod ${r.pod_id}`;

function statusOf(item: Record<string, unknown>): string {
  return String(item.status ?? item['OS-EXT-STS:vm_state'] ?? 'present');
}

function routingCheck(deps: RoutingCheckDeps, mode: 'delete' | 'verify'): JobHandler {
  return {
    ...(mode === 'delete' ? DELETE_POLL : { maxAttempts: 5 }),
    async run(job, ctx) {
      const p = job.payload as RoutingJobPayload;
      const routing = await deps.store.routings.get(p.routing_id);
      const expected = mode === 'delete' ? 'deleting' : undefined;
      if (!routing || routing.top_id !== p.top_id || routing.pod_id !== p.pod_id || (expected && routing.status !== expected)) {
        return done('the routing changed meanwhile; nothing to do');
      }
      const pod = await deps.podDir.get(routing.pod_id);
      if (!pod) return fail(`pod ${routing.pod_id} is no longer registered`);
      const seen = await askResource(deps.service, pod, p.resource_type, routing.top_id, ctx.signal);
      if (seen.state === 'gone') {
        const removed = await deps.routes.removeProven(routing, routing.status);
        return done(removed ? `${described(routing)} is gone (404 to the gateway's credentials); routing removed` : 'the routing changed meanwhile');
      }
      if (seen.state === 'unknown') return wait(`${seen.reason} to the gateway's credentials`);
      const item = seen.item;
      if (mode === 'verify') return done(`${described(routing)} is still there (${statusOf(item)}); routing kept`);
      if (RESOURCE_KINDS[p.resource_type].deleting(item)) return wait(`${described(routing)} is still being deleted (${statusOf(item)})`);
      // The deletion did not happen, or failed in the pod: the resource is there and counts again.
      await deps.routes.setStatus(routing, 'deleting', 'active');
      return done(`${described(routing)} is still there (${statusOf(item)}): routing active again`);
    },
  };
}

export function routingDeleteHandler(deps: RoutingCheckDeps): JobHandler {
  return routingCheck(deps, 'delete');
}

export function routingVerifyHandler(deps: RoutingCheckDeps): JobHandler {
  return routingCheck(deps, 'verify');
}
