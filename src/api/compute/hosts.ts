/**
 * Nova's `os-hosts` (admin, below 2.43, where Nova removed it;
 * https://docs.openstack.org/api-ref/compute/#hosts-os-hosts-deprecated):
 * - the list asks every pod and concatenates their hosts, zones shown as os-services shows them
 *   (the top AZ, or the aggregate zone the host is in), so `?zone=` is applied here to the zones
 *   the caller sees rather than sent to pods that know their own names only;
 * - show, update and the startup/shutdown/reboot actions go to the pod whose compute service runs
 *   on the host (Nova serves them for compute hosts only; a host two pods name is a 409). A host
 *   no pod computes on goes to the first pod, which answers Nova's own 404 (or 400 for a body its
 *   schema refuses) in its own words.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { notFound } from '../../http';
import { podItems } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { forwardTo, podOfHost } from './pod-admin-by-id';
import { can } from './policy';
import { servedBelow } from './refused';
import type { ComputeRule } from './policy-rules';
import { topZone } from './services-hypervisors';
import { innerZones } from './aggregate-zones';

export type HostCall = 'show' | 'update' | 'startup' | 'shutdown' | 'reboot';

const RULES: Record<HostCall, ComputeRule> = {
  show: 'os_compute_api:os-hosts:show',
  update: 'os_compute_api:os-hosts:update',
  startup: 'os_compute_api:os-hosts:start',
  shutdown: 'os_compute_api:os-hosts:shutdown',
  reboot: 'os_compute_api:os-hosts:reboot',
};

/** Nova removed `os-hosts` at 2.43 (hosts.py). */
const GONE_FROM = '2.43';

export async function hostsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  servedBelow(c, GONE_FROM);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-hosts:list', {});
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-hosts`;
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: 'hosts', question: () => ({ path }), accept: (s) => s === 200 });
  // Nova reads the last `zone` given; an empty one filters nothing.
  const zone = c.req.queries('zone')?.at(-1);
  const inner = await innerZones(deps);
  const hosts = answers.flatMap((a) => podItems(a.body, 'hosts').map((h) => ({ ...h, zone: topZone(a.pod, h.zone, inner) })));
  return c.json({ hosts: zone ? hosts.filter((h) => h.zone === zone) : hosts });
}

/** `GET|PUT /os-hosts/{host}` and `GET /os-hosts/{host}/{startup|shutdown|reboot}`. */
export async function hostById(deps: ComputeDeps, c: Context<ComputeEnv>, call: HostCall): Promise<Response> {
  servedBelow(c, GONE_FROM);
  can(deps.policy, c.get('auth'), RULES[call], {});
  const host = c.req.param('host')!;
  const pod =
    (await podOfHost(deps, c, host, 'nova-compute', () => notFound(`Host '${host}' is not mapped to any cell`), 'the gateway cannot tell which pod is meant')) ??
    (await deps.podDir.bottoms())[0];
  if (!pod) throw notFound(`Host '${host}' is not mapped to any cell`);
  const sub = call === 'show' || call === 'update' ? '' : `/${call}`;
  return forwardTo(deps, c, pod, `/os-hosts/${encodeURIComponent(host)}${sub}`, call === 'update' ? await c.req.text() : undefined);
}
