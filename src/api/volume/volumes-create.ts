/**
 * `POST /volumes` (https://docs.openstack.org/api-ref/block-storage/v3/#create-a-volume): a new
 * volume is scheduled with the tenant's binding for the requested AZ (so it lands where the tenant's servers of that AZ are); a volume
 * made from a snapshot, a source volume or a backup, or in a group (3.13), goes to the pod that holds the source, and
 * asking for another AZ is a clear 400. The whole body is forwarded with `availability_zone`
 * rewritten to the pod's own name, through the shared routed create (pending → complete).
 * Cinder's volume quotas are checked first (volume-quota.ts); the created volume's size and type
 * are recorded for usage.
 */
import type { Context } from 'hono';
import { createRouted } from '../../proxy';
import type { Pod } from '../../store';
import { badRequest, isSupported, readJson, type GatewayEnv } from '../../http';
import { azForPod, volumeAzToTop } from './az';
import type { VolumeDeps } from './deps';
import type { ServiceDeps } from '../common';
import { onePod, podOf } from './same-pod';
import { volumeCreate, volumeCreate_3_47 } from './schemas';
import { checkBody, nameOf } from './validation';
import { typeForPod, typeIdMap, typeIdsToTop } from './type-ids';
import { checkVolumeCreate, recordCost, sourceCost } from './volume-quota';

/** Create sources and the routed type each one names (`backup_id` since 3.47). */
const SOURCES = [
  { field: 'snapshot_id', type: 'snapshot', label: 'snapshot', since: '3.0' },
  { field: 'source_volid', type: 'volume', label: 'source volume', since: '3.0' },
  { field: 'backup_id', type: 'backup', label: 'backup', since: '3.47' },
  // A volume made in a group (3.13) is made where the group is.
  { field: 'group_id', type: 'group', label: 'group', since: '3.13' },
] as const;

/** A field of a volume create that names a routed source. */
export type VolumeSourceField = (typeof SOURCES)[number]['field'];
type Sources = Partial<Record<VolumeSourceField, string | null>>;

interface Source {
  pod: Pod;
  what: string;
  type: (typeof SOURCES)[number]['type'];
  id: string;
}

async function sourcePod(deps: VolumeDeps, c: Context<GatewayEnv>, fields: readonly VolumeSourceField[], volume: Sources): Promise<Source | undefined> {
  const found: Source[] = [];
  for (const s of SOURCES) {
    if (!fields.includes(s.field)) continue;
    const id = volume[s.field];
    if (id) found.push({ pod: await podOf(deps, c, id, s.type), what: `the ${s.label} ${id}`, type: s.type, id });
  }
  const pod = onePod(found);
  return pod ? found[0] : undefined;
}

/** The size a create asks for: its `size` (an integer, or its text), else what its source costs. */
function requestedSize(size: unknown, source: { sizeGb: number } | undefined): number {
  const n = typeof size === 'string' && /^\d+$/.test(size.trim()) ? Number(size) : size;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : (source?.sizeGb ?? 0);
}

export interface VolumePlacementOptions {
  /** The source fields the API serves at this request (Nova's proxy: `snapshot_id` only). */
  sources: readonly VolumeSourceField[];
  /**
   * Check the volume quotas. @default true. False for a body the API's schema refuses: the pod
   * refuses it in its own words, as the service validates before it counts (a 400, not a 413).
   */
  checkQuota?: boolean;
}

/**
 * Where a volume create goes, decided before any pod is asked, and the body made ready for that
 * pod: a volume from a source (or in a group) goes to the source's pod (another AZ is 400), any
 * other to the tenant's binding for the requested AZ; `availability_zone` is rewritten to the
 * pod's own name and a gateway `volume_type` to the pod's id (both in `volume`, in place); Cinder's
 * volume quotas are checked. Shared by Cinder's `POST /volumes` and Nova's `POST /os-volumes`,
 * whose `volume` objects name these fields alike.
 */
export async function placeVolumeCreate(deps: ServiceDeps, c: Context<GatewayEnv>, volume: Record<string, unknown>, o: VolumePlacementOptions): Promise<Pod> {
  const az = typeof volume.availability_zone === 'string' ? volume.availability_zone : '';
  const projectId = c.get('projectId');
  const source = await sourcePod(deps, c, o.sources, volume as Sources);
  let pod: Pod;
  if (source) {
    pod = source.pod;
    if (az !== '' && az !== pod.az_name) {
      throw badRequest(`Availability zone '${az}' is invalid: ${source.what} is in availability zone '${pod.az_name}'.`);
    }
    if (az !== '') azForPod(volume, pod); // else the pod takes the source's own AZ
  } else {
    pod = (await deps.scheduler.select(projectId, az)).pod;
    azForPod(volume, pod);
  }
  const typeRef = typeof volume.volume_type === 'string' && volume.volume_type !== '' ? volume.volume_type : undefined;
  if (o.checkQuota ?? true) {
    // A group names where the volume goes, not what it is made from: it has no size of its own.
    const sourceCostGb = source && source.type !== 'group' ? await sourceCost(deps, source.type, source.id) : undefined;
    const typeName = typeRef ? ((await deps.store.volumeTypes.get(typeRef)) ?? (await deps.store.volumeTypes.getByName(typeRef)))?.name : sourceCostGb?.volumeType ?? undefined;
    await checkVolumeCreate(deps, projectId, requestedSize(volume.size, sourceCostGb), typeName);
  }
  // A gateway type goes to the pod under the pod's own id.
  if (typeRef) volume.volume_type = await typeForPod(deps, typeRef, pod);
  return pod;
}

export async function createVolume(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { volume } = checkBody(isSupported(c.get('apiVersion'), '3.47') ? volumeCreate_3_47 : volumeCreate, body);
  // The caller's body is forwarded as sent, but for its AZ and type.
  const forwarded = (body as { volume: Record<string, unknown> }).volume;
  const sources = SOURCES.filter((s) => isSupported(c.get('apiVersion'), s.since)).map((s) => s.field);
  const pod = await placeVolumeCreate(deps, c, forwarded, { sources });
  const projectId = c.get('projectId');
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
    onCreated: (id, answer) => recordCost(deps, { id, type: 'volume', projectId, answer }),
    transform: (json) => typeIdsToTop(typeIds)(toTop(json)),
  });
}
