/**
 * Availability-zone translation between the gateway and a pod (reference §15.1.5): requests carry
 * the pod's own AZ name (`pod_az_name`, dropped when empty), answers show the top AZ (`az_name`).
 */
import type { Pod } from '../../store';

const SERVER_AZ = 'OS-EXT-AZ:availability_zone';

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

function fixServer(s: unknown, az: string): void {
  if (s && typeof s === 'object' && SERVER_AZ in s) (s as Record<string, unknown>)[SERVER_AZ] = az;
}

/** Shows the pod's top AZ in `{server}` and `{servers: [...]}` bodies. */
export function serverAzToTop(pod: Pod): (json: unknown) => unknown {
  return (json) => {
    const body = json as { server?: unknown; servers?: unknown[] };
    if (body && typeof body === 'object') {
      fixServer(body.server, pod.az_name);
      if (Array.isArray(body.servers)) for (const s of body.servers) fixServer(s, pod.az_name);
    }
    return json;
  };
}
