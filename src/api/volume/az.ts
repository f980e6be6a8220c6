/**
 * AZ translation for Cinder: a create sends the pod's own AZ name (`pod_az_name`, dropped when
 * empty); every answer shows the top AZ (`az_name`).
 */
import { azToTop, type JsonTransform } from '../../proxy';
import type { Pod } from '../../store';

/** Volumes and backups carry `availability_zone`; both show the top AZ. */
export function volumeAzToTop(pod: Pod): JsonTransform {
  return azToTop(
    pod.az_name,
    { one: 'volume', many: 'volumes', field: 'availability_zone' },
    { one: 'backup', many: 'backups', field: 'availability_zone' },
  );
}

/** Writes the pod's AZ name into a create body, or removes the key when the pod wants none. */
export function azForPod(item: Record<string, unknown>, pod: Pod): void {
  if (pod.pod_az_name === '') delete item.availability_zone;
  else item.availability_zone = pod.pod_az_name;
}
