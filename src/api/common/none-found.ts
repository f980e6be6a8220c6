/**
 * A lookup that asks every pod which one holds a name (a host, a cluster, a service's UUID) may
 * only say "no pod has it" when every pod answered: with a pod missing, the holder may be the pod
 * that did not answer, so the truthful answer is that pod's failure (503), never a 404 or a 400
 * that would send the caller away believing the name wrong.
 */
import type { MissingPod } from '../../fanout';
import { serviceUnavailable } from '../../http';

export function noneFound(missing: readonly MissingPod[], notFound: Error): Error {
  if (missing.length === 0) return notFound;
  const pods = missing.map((m) => `${m.pod.pod_name} (${m.reason})`).join(', ');
  return serviceUnavailable(`Not every pod answered, so it cannot be told which one holds this: ${pods}.`);
}
