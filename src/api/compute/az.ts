/**
 * Availability-zone translation between the gateway and a pod: requests carry the pod's own AZ name
 * (`pod_az_name`, dropped when empty), answers show the top AZ (`az_name`). Nova's request value
 * may name a host (`az:host:node`), so the request side is Nova's own; the answer side is the
 * shared `azToTop`. An inner zone (a host aggregate's, aggregate-zones.ts) is the same name in the
 * pod and at the top: it is neither rewritten in requests nor in answers.
 */
import { azToTop, type InnerZones, type JsonTransform } from '../../proxy';
import type { Pod } from '../../store';

/**
 * Rewrites a Nova AZ request value (`az`, `az:host`, `az:host:node`) for the pod. Returns
 * undefined when nothing is left to send.
 */
export function azForPod(requested: string, podAz: string): string | undefined {
  const parts = requested.split(':');
  parts[0] = podAz;
  if (parts.every((p) => p === '')) return undefined;
  return parts.join(':');
}

/** The top AZ of a requested value (`az:host` → `az`). */
export function topAz(requested: unknown): string {
  return typeof requested === 'string' ? (requested.split(':')[0] ?? '') : '';
}

/** Shows the pod's top AZ in `{server}` and `{servers: [...]}` bodies, or the pod's inner zone. */
export function serverAzToTop(pod: Pod, inner: InnerZones): JsonTransform {
  return azToTop({ top: pod.az_name, podId: pod.pod_id, inner }, { one: 'server', many: 'servers', field: 'OS-EXT-AZ:availability_zone' });
}
