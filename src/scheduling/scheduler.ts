/**
 * Pod selection for creates.
 *
 * A tenant is bound to one pod per availability zone and stays there (sticky), so a server and a
 * volume created in one AZ land in the same pod and can be attached. An empty AZ reuses any
 * active binding, else takes the first enabled bottom pod. Disabled pods are never chosen for a
 * new binding; a binding to a pod that has since been disabled moves round-robin to the next
 * enabled pod of its AZ, keeping the old row as history.
 */
import type { Binding, Pod, Store } from '../store';
import { isUniqueViolation } from '../store';
import { SchedulingError } from './errors';

export interface Placement {
  pod: Pod;
  /** The AZ to send to the pod (its internal name); '' means send none. */
  podAz: string;
  binding: Binding;
}

export class Scheduler {
  constructor(private readonly store: Store) {}

  /** The pod for a create by `tenantId` in `az` ('' = any); binds the tenant on first use. */
  async select(tenantId: string, az: string): Promise<Placement> {
    const pods = await this.store.pods.list();
    const byId = new Map(pods.map((p) => [p.pod_id, p]));
    const bottoms = pods.filter((p) => p.az_name !== '');
    if (az !== '' && !bottoms.some((p) => p.az_name === az)) throw new SchedulingError('TRIO2O_AZ_UNKNOWN', az, `No pod serves availability zone ${az}`);

    const active = await this.store.bindings.active(tenantId);
    const matching = active.filter((b) => az === '' || b.az_name === az);
    const usable = matching.find((b) => byId.get(b.pod_id)?.enabled);
    if (usable) return placement(byId.get(usable.pod_id)!, usable);

    const zone = matching[0]?.az_name ?? az;
    const candidates = bottoms.filter((p) => p.enabled && (zone === '' || p.az_name === zone));
    if (candidates.length === 0) {
      const message = zone === '' ? 'No enabled pod is available for new resources' : `No enabled pod is available in availability zone ${zone}`;
      throw new SchedulingError('TRIO2O_NO_POD_AVAILABLE', zone, message);
    }
    const previous = matching[0] ? byId.get(matching[0].pod_id) : undefined;
    const chosen = previous ? nextAfter(bottoms.filter((p) => p.az_name === previous.az_name), previous, candidates) : candidates[0]!;
    return this.bind(tenantId, chosen);
  }

  private async bind(tenantId: string, pod: Pod): Promise<Placement> {
    try {
      const binding = await this.store.bindings.bind(tenantId, pod.pod_id, pod.az_name);
      return placement(pod, binding);
    } catch (err) {
      // A concurrent create bound the tenant first: use the binding it made.
      if (isUniqueViolation(err)) {
        const winner = (await this.store.bindings.active(tenantId)).find((b) => b.az_name === pod.az_name);
        const winnerPod = winner && (await this.store.pods.get(winner.pod_id));
        if (winner && winnerPod) return placement(winnerPod, winner);
      }
      // Anything else (a store that cannot be written) is the caller's answer as it is.
      throw err;
    }
  }
}

function placement(pod: Pod, binding: Binding): Placement {
  return { pod, podAz: pod.pod_az_name, binding };
}

/** Round-robin: the first enabled pod after `current` in creation order, wrapping around. */
function nextAfter(zonePods: Pod[], current: Pod, enabled: Pod[]): Pod {
  const ids = new Set(enabled.map((p) => p.pod_id));
  const start = zonePods.findIndex((p) => p.pod_id === current.pod_id);
  for (let i = 1; i <= zonePods.length; i++) {
    const p = zonePods[(start + i) % zonePods.length]!;
    if (ids.has(p.pod_id)) return p;
  }
  return enabled[0]!;
}
