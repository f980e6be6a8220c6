/**
 * A lookup that asks every pod which one holds a name (a host, a cluster, a service's UUID) may
 * only say "no pod has it" when every pod answered: with a pod missing, the holder may be the pod
 * that did not answer, so the truthful answer is that pod's failure (503), never a 404 or a 400
 * that would send the caller away believing the name wrong. When every pod refused the question
 * with the same 4xx (a 403 from each pod's own policy), the caller is refused: that is the pods'
 * answer, not an outage.
 */
import type { MissingPod } from '../../fanout';
import { ApiError, serviceUnavailable } from '../../http';

const REFUSED = /^status_(4\d\d)$/;

/** `answered`: how many pods did answer the lookup (none of them holding the name). */
export function noneFound(missing: readonly MissingPod[], notFound: Error, answered: number): Error {
  if (missing.length === 0) return notFound;
  const pods = missing.map((m) => `${m.pod.pod_name} (${m.reason})`).join(', ');
  const refusals = new Set(missing.map((m) => REFUSED.exec(m.reason)?.[1]));
  const [status] = refusals;
  if (answered === 0 && refusals.size === 1 && status !== undefined) {
    return new ApiError(Number(status), `Every pod refused to tell which one holds this: ${pods}.`);
  }
  return serviceUnavailable(`Not every pod answered, so it cannot be told which one holds this: ${pods}.`);
}
