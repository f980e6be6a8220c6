/**
 * `POST /volumes` (https://docs.openstack.org/api-ref/block-storage/v3/#create-a-volume): a new
 * volume is scheduled with the tenant's binding for the requested AZ (so it lands where the tenant's servers of that AZ are); a volume
 * made from a snapshot, a source volume or a backup, or in a group (3.13), goes to the pod that holds the source, and
 * asking for another AZ is a clear 400. The whole body is forwarded with `availability_zone`
 * rewritten to the pod's own name, through the shared routed create (pending → complete).
 */
import type { Context } from 'hono';
import { createRouted } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, isSupported, readJson, type GatewayEnv } from '../../http';
import { azForPod, volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import { onePod, podOf } from './same-pod';
import { volumeCreate, volumeCreate_3_47 } from './schemas';
import { checkBody, nameOf } from './validation';
import { typeForPod, typeIdMap, typeIdsToTop } from './type-ids';

/** Create sources and the routed type each one names (`backup_id` since 3.47). */
const SOURCES = [
  { field: 'snapshot_id', type: 'snapshot', label: 'snapshot', since: '3.0' },
  { field: 'source_volid', type: 'volume', label: 'source volume', since: '3.0' },
  { field: 'backup_id', type: 'backup', label: 'backup', since: '3.47' },
  // A volume made in a group (3.13) is made where the group is.
  { field: 'group_id', type: 'group', label: 'group', since: '3.13' },
] as const;

type Sources = Partial<Record<(typeof SOURCES)[number]['field'], string | null>>;

async function sourcePod(deps: VolumeDeps, c: Context<GatewayEnv>, volume: Sources): Promise<{ pod: Pod; what: string } | undefined> {
  const found: { pod: Pod; what: string }[] = [];
  for (const s of SOURCES) {
    if (!isSupported(c.get('apiVersion'), s.since)) continue;
    const id = volume[s.field];
    if (id) found.push({ pod: await podOf(deps, id, s.type), what: `the ${s.label} ${id}` });
  }
  const pod = onePod(found);
  return pod ? found[0] : undefined;
}

async function schedule(deps: VolumeDeps, projectId: string, az: string): Promise<Pod> {
  return (await deps.scheduler.select(projectId, az)).pod;
}

export async function createVolume(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { volume } = checkBody(isSupported(c.get('apiVersion'), '3.47') ? volumeCreate_3_47 : volumeCreate, body);
  // The caller's body is forwarded as sent, but for its AZ.
  const forwarded = (body as { volume: Record<string, unknown> }).volume;
  const az = volume.availability_zone ?? '';
  const projectId = c.get('projectId');
  const source = await sourcePod(deps, c, volume);
  let pod: Pod;
  if (source) {
    pod = source.pod;
    if (az !== '' && az !== pod.az_name) {
      throw badRequest(`Availability zone '${az}' is invalid: ${source.what} is in availability zone '${pod.az_name}'.`);
    }
    if (az !== '') azForPod(forwarded, pod); // else the pod takes the source's own AZ
  } else {
    pod = await schedule(deps, projectId, az);
    azForPod(forwarded, pod);
  }
  // A gateway type goes to the pod under the pod's own id.
  if (typeof forwarded.volume_type === 'string' && forwarded.volume_type !== '') forwarded.volume_type = await typeForPod(deps, forwarded.volume_type, pod);
  const typeIds = await typeIdMap(deps.store);
  const toTop = volumeAzToTop(pod);
  return createRouted(deps, c, {
    pod,
    service: 'volumev3',
    type: 'volume',
    projectId,
    body: JSON.stringify(body),
    idOf: (json) => (json as { volume?: { id?: unknown } }).volume?.id,
    hint: { name: nameOf(volume) },
    transform: (json) => typeIdsToTop(typeIds)(toTop(json)),
  });
}
