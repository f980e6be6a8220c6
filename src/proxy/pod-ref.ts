/** The pod client speaks PodRef; the store speaks Pod rows. One conversion, here. */
import type { Pod } from '../store';
import type { PodRef } from '../pods';

export function podRef(pod: Pod): PodRef {
  return { podId: pod.pod_id, podName: pod.pod_name, endpoints: pod.endpoints };
}
