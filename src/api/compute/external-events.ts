/**
 * `POST /os-server-external-events` (Neutron and Cinder call it; the top `nova` endpoint is the
 * gateway). The original sent every event to the pod of the first event's server, so events for
 * servers of other pods reached the wrong pod; here events are grouped by the pod that owns each
 * server, each group goes to its pod in parallel, and the answers are merged in the request's order
 * with Nova's semantics: 200 when every event was accepted, 207 with per-event codes otherwise, 404
 * when none was.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { Pod } from '../../store';
import { isSupported, notFound, readJson, validate } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { askPods } from '../../fanout';
import { can } from './policy';

/** Event names by the microversion that added them. */
const EVENT_NAMES: [string, string][] = [
  ['2.1', 'network-changed'],
  ['2.1', 'network-vif-plugged'],
  ['2.1', 'network-vif-unplugged'],
  ['2.1', 'network-vif-deleted'],
  ['2.51', 'volume-extended'],
  ['2.76', 'power-update'],
  ['2.82', 'accelerator-request-bound'],
  ['2.93', 'volume-reimaged'],
];
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function schema(c: Context<ComputeEnv>) {
  const names = EVENT_NAMES.filter(([since]) => isSupported(c.get('apiVersion'), since)).map(([, n]) => n);
  return v.strictObject({
    events: v.pipe(
      v.array(
        v.strictObject({
          name: v.picklist(names, `is not one of ${JSON.stringify(names)}`),
          server_uuid: v.pipe(v.string(), v.regex(UUID, 'is not a uuid')),
          status: v.optional(v.picklist(['failed', 'completed', 'in-progress'])),
          tag: v.optional(v.pipe(v.string(), v.maxLength(255))),
        }),
      ),
      v.minLength(1, 'must not be empty'),
    ),
  });
}

type Event = Record<string, unknown> & { server_uuid: string };

export async function externalEventsCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-server-external-events:create', {});
  const { events } = validate(schema(c), await readJson(c));
  const results: Record<string, unknown>[] = events.map((e) => ({ ...e, status: 'failed', code: 404 }));
  const groups = new Map<string, { pod: Pod; idx: number[] }>();
  for (const [i, e] of events.entries()) {
    const route = await deps.routes.lookup(e.server_uuid, 'server');
    const pod = route && (await deps.podDir.get(route.pod_id));
    if (!pod) continue; // unknown to the gateway: failed/404, as Nova answers an unknown instance
    const g = groups.get(pod.pod_id) ?? { pod, idx: [] };
    g.idx.push(i);
    groups.set(pod.pod_id, g);
  }
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-server-external-events`;
  const { answers } = await askPods(deps, c, [...groups.values()].map((g) => g.pod), {
    service: 'compute',
    name: 'os-server-external-events',
    question: (pod) => ({ method: 'POST', path, body: JSON.stringify({ events: groups.get(pod.pod_id)!.idx.map((i) => events[i]!) }) }),
  });
  const byPod = new Map(answers.map((a) => [a.pod.pod_id, a]));
  for (const g of groups.values()) {
    const answer = byPod.get(g.pod.pod_id);
    const got = (answer?.body as { events?: Event[] } | null)?.events;
    g.idx.forEach((i, k) => {
      const reply = answer && (answer.status === 200 || answer.status === 207) ? got?.[k] : undefined;
      // A pod that refused the whole batch (404: none of its servers) fails its events alike;
      // a pod that did not answer fails its events with 503 so the caller can retry them.
      results[i] = reply ?? { ...events[i], status: 'failed', code: answer ? (answer.status === 404 ? 404 : answer.status) : 503 };
    });
  }
  const accepted = results.filter((r) => r.code === 200).length;
  if (accepted === 0) throw notFound('No instances found for any event');
  return c.json({ events: results }, accepted === results.length ? 200 : 207);
}
