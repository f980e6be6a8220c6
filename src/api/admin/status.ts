/**
 * `GET /v1.0/status`: what this gateway process knows about each pod and its store, gathered
 * from state it already keeps (breakers, the last failures its pod client observed, microversion
 * discovery, the routing table, the replica's sync) — nothing here calls a pod.
 * Per pod: AZ, enabled, reachable, breaker, microversion ranges, routings, last failure.
 */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { formatVersion } from '../../http';
import type { Pod } from '../../store';
import { adminRule } from './policy-rules';
import type { AdminDeps, AdminEnv, PodRuntime } from './deps';

/** `{min, max}` as strings, or null before the pod answered discovery. */
function range(r: PodRuntime['compute']): { min: string | null; max: string } | null {
  return r ? { min: r.min ? formatVersion(r.min) : null, max: formatVersion(r.max) } : null;
}

function podStatus(pod: Pod, runtime: PodRuntime, routings: number) {
  const top = pod.az_name === '';
  return {
    pod_id: pod.pod_id,
    pod_name: pod.pod_name,
    az_name: pod.az_name,
    enabled: pod.enabled,
    // The top region is not called through the pod client: it has no reachability of its own.
    reachable: top ? null : runtime.reachable,
    breaker: top ? null : runtime.breaker,
    compute_microversions: range(runtime.compute),
    volume_microversions: range(runtime.volume),
    routings,
    last_error: runtime.lastFailure,
  };
}

export function statusApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), adminRule('status', 'show'));
    const [pods, counts] = await Promise.all([deps.store.pods.list(), deps.store.routings.countByPod()]);
    const runtime = deps.runtime;
    const replica = deps.store.replication?.status();
    return c.json({
      status: {
        store: {
          mode: deps.store.mode,
          primary: replica?.primary ?? null,
          last_sync_at: replica?.lastSyncAt ?? null,
          sync_age_seconds: replica?.lastSyncAgeSeconds ?? null,
          last_sync_error: replica?.lastError ?? null,
        },
        pods: pods.map((p) => podStatus(p, runtime.pod(p.pod_id), counts.get(p.pod_id) ?? 0)),
      },
    });
  });
  return app;
}
