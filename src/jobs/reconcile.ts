/**
 * `routing_reconcile`: a pending routing older than the pending timeout is a create whose answer
 * was lost (the gateway died, the store went away, the pod's answer never came). Its pod is asked,
 * with the gateway's credentials, for the project's resources of that kind that no routing knows,
 * created at or after the pending row (minus clock skew) under the name the create asked for
 * (Nova also names multi-create servers `<name>-<n>`; Cinder attachments go by their volume).
 *
 * - Found: the pending row is completed with the oldest, and any others are adopted — each is a
 *   resource of the project that nothing routes, so leaving one out would leave an orphan.
 * - None, in an answer the pod gave: the create never happened; the pending row goes (no ghost).
 * - No answer: try again later (bounded; then the job fails and the row stays for an operator).
 *
 * Nova records a request id in the instance actions, but it is Nova's own (the one the gateway
 * would have read from the lost answer), not the X-OpenStack-Request-ID the gateway sent, so the
 * name and the creation time are what identify a lost server.
 */
import type { ResourceType } from '../routing';
import { isoNow, type Routing } from '../store';
import { done, wait, type JobHandler } from './handler';
import { listInPod, ListingUnavailable } from './listing';
import type { RoutingCheckDeps } from './routing-checks';
import { recordAdoptedCost } from './usage';

export const ROUTING_RECONCILE = 'routing_reconcile';

/**
 * A create's pending routing older than this is reconciled: four pod request deadlines, so a
 * create still waiting for its pod is never taken for a lost one.
 */
export const DEFAULT_PENDING_TIMEOUT_MS = 120_000;

/** Pod and gateway clocks may differ this much. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface ReconcilePayload {
  routing_id: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a listed item is what the pending create asked for. */
function matches(r: Routing, item: Record<string, unknown>): boolean {
  const hint = r.hint ?? {};
  if (r.resource_type === 'attachment') return true; // listed by volume already
  const created = Date.parse(String(item.created_at ?? item.created ?? ''));
  if (!Number.isNaN(created) && created < Date.parse(r.created_at) - CLOCK_SKEW_MS) return false;
  if (hint.reservation_id !== undefined) return true; // listed by reservation already
  const name = typeof item.name === 'string' ? item.name : null;
  const wanted = hint.name ?? null;
  if (wanted === null) return name === null || name === '';
  if (name === wanted) return true;
  return r.resource_type === 'server' && new RegExp(`^${escapeRegex(wanted)}-\\d+$`).test(name ?? '');
}

function createdOf(item: Record<string, unknown>): number {
  const t = Date.parse(String(item.created_at ?? item.created ?? ''));
  return Number.isNaN(t) ? 0 : t;
}

export function routingReconcileHandler(deps: RoutingCheckDeps): JobHandler {
  return {
    maxAttempts: 20,
    backoff: { baseMs: 5_000, capMs: 300_000 },
    async run(job, ctx) {
      const { routing_id } = job.payload as ReconcilePayload;
      const r = await deps.store.routings.get(routing_id);
      if (!r || r.status !== 'pending') return done('no longer pending');
      const pod = await deps.podDir.get(r.pod_id);
      if (!pod) return wait(`pod ${r.pod_id} is not registered`);
      const type = r.resource_type as ResourceType;
      let items: Record<string, unknown>[];
      try {
        items = await listInPod(deps.service, pod, type, { projectId: r.project_id, reservationId: r.hint?.reservation_id, volumeId: r.hint?.volume_id }, ctx.signal);
      } catch (err) {
        if (err instanceof ListingUnavailable) return wait(err.message);
        throw err;
      }
      const found: Record<string, unknown>[] = [];
      for (const it of items.filter((i) => matches(r, i)).sort((a, b) => createdOf(a) - createdOf(b))) {
        if (!(await deps.store.routings.lookup(it.id as string, type))) found.push(it);
      }
      const candidates = found.map((it) => it.id as string);
      if (candidates.length === 0) {
        const removed = await deps.store.routings.deleteIf(r.id, 'pending', r.pod_id);
        return done(removed ? `pod ${pod.pod_name} has no unrouted ${type} of project ${r.project_id} for this create: pending routing removed` : 'no longer pending');
      }
      // The create's answer was lost, and with it what the resources cost: read it from the pod,
      // before the routings turn active (they count from that moment).
      for (const it of found) await recordAdoptedCost(deps.store, type, r.project_id, it.id as string, it);
      const [first, ...others] = candidates;
      await deps.routes.complete(r, first!);
      for (const id of others) await deps.routes.adopt(r.project_id, r.pod_id, type, id);
      return done(`completed with ${type} ${first}${others.length ? `; adopted ${others.join(', ')}` : ''}`);
    },
  };
}

/**
 * The sweep that finds pending routings older than `timeoutMs` and records one reconciliation
 * per row (never a second: a failed one is for an operator to retry).
 */
export async function enqueueStalePending(deps: Pick<RoutingCheckDeps, 'store'>, timeoutMs: number): Promise<number> {
  const stale = await deps.store.routings.stalePending(isoNow(new Date(Date.now() - timeoutMs)));
  let n = 0;
  for (const r of stale) {
    const key = `${ROUTING_RECONCILE}:${r.id}`;
    if (await deps.store.jobs.hasKey(key)) continue;
    await deps.store.jobs.enqueue(ROUTING_RECONCILE, r.top_id, { routing_id: r.id } satisfies ReconcilePayload, { dedupKey: key });
    n++;
  }
  return n;
}
