/**
 * Cinder's quotas on volumes, snapshots and backups, enforced at the gateway before any pod is
 * asked, with usage counted from the routing table and the sizes recorded when the gateway made or
 * adopted each resource (store/volume-usage.ts). The reservations and their wording follow Cinder:
 * - volume create (cinder/volume/flows/api/create_volume.py QuotaReserveTask): `per_volume_gigabytes`
 *   first (VolumeSizeExceedsLimit), then volumes + gigabytes and the type's `volumes_<type>`,
 *   `gigabytes_<type>`;
 * - snapshot create (cinder/volume/api.py `_create_snapshot`): snapshots + the volume's size in
 *   gigabytes (Cinder's default `no_snapshot_gb_quota = False`) and the type's resources;
 * - backup create (cinder/backup/api.py): backups + backup_gigabytes (the volume's size);
 * - extend (cinder/volume/api.py `_extend`): the size increase in gigabytes;
 * - transfer accept (cinder/transfer/api.py `accept`): the volume and, unless `no_snapshots`, its
 *   snapshots, counted against the receiving project.
 * A refusal is 413 `overLimit` with `Retry-After: 0` (cinder/exception.py QuotaError), the message
 * prefixed with the exception's class name as cinder/api/middleware/fault.py writes it; the first
 * resource over its limit in Cinder's reservation order decides which (quota_utils.py
 * process_reserve_over_quota).
 */
import { ApiError } from '../../http';
import type { VolumeCost, VolumeResourceType, VolumeUsage } from '../../store';
import type { VolumeDeps } from './deps';
import type { ServiceDeps } from '../common';
import { limitsOf } from './quota-limits';

const overLimit = (exception: string, message: string) =>
  new ApiError(413, `${exception}: ${message}`, { headers: { 'Retry-After': '0' } });

/** Cinder's absolute `total*Used` limits and the quota resource each one counts. */
export const USED_FIELDS: Readonly<Record<string, string>> = {
  volumes: 'totalVolumesUsed',
  gigabytes: 'totalGigabytesUsed',
  snapshots: 'totalSnapshotsUsed',
  backups: 'totalBackupsUsed',
  backup_gigabytes: 'totalBackupGigabytesUsed',
};

/** Usage as Cinder's quota resources name it (per-type ones included). */
export function quotaUsage(u: VolumeUsage): Record<string, number> {
  const out: Record<string, number> = {
    volumes: u.count.volume,
    snapshots: u.count.snapshot,
    gigabytes: u.gigabytes.volume + u.gigabytes.snapshot,
    backups: u.count.backup,
    backup_gigabytes: u.gigabytes.backup,
    groups: 0,
    per_volume_gigabytes: 0,
  };
  for (const [name, t] of Object.entries(u.byType)) {
    out[`volumes_${name}`] = t.volumes;
    out[`snapshots_${name}`] = t.snapshots;
    out[`gigabytes_${name}`] = t.gigabytes;
  }
  return out;
}

type Over = (resource: string, limit: number, used: number, requested: number) => ApiError;

/** A project's volume limits and its usage (Cinder's resource names), read once per check. */
interface QuotaState {
  limits: Record<string, number>;
  used: Record<string, number>;
}

async function quotaState(deps: ServiceDeps, projectId: string): Promise<QuotaState> {
  const [limits, usage] = await Promise.all([limitsOf(deps, projectId), deps.store.volumeUsage.usage(projectId)]);
  return { limits, used: quotaUsage(usage) };
}

/**
 * Reserves `deltas` (in Cinder's order) against the limits; the first resource over its limit is
 * refused with what `over` makes of it. A reservation that passes counts as used for the next
 * one of the same operation.
 */
function reserve(q: QuotaState, deltas: [string, number][], over: Over): void {
  for (const [resource, delta] of deltas) {
    const limit = q.limits[resource];
    if (limit === undefined || limit < 0 || delta <= 0) continue;
    const inUse = q.used[resource] ?? 0;
    if (inUse + delta > limit) throw over(resource, limit, inUse, delta);
  }
  for (const [resource, delta] of deltas) q.used[resource] = (q.used[resource] ?? 0) + delta;
}

/** VolumeSizeExceedsAvailableQuota, naming the resource that was over (`gigabytes`, `gigabytes_<type>`). */
const volumeSize: Over = (resource, limit, used, requested) =>
  overLimit('VolumeSizeExceedsAvailableQuota',
    `Requested volume or snapshot exceeds allowed ${resource} quota. Requested ${requested}G, quota is ${limit}G and ${used}G has been consumed.`);

const backupSize: Over = (_resource, limit, used, requested) =>
  overLimit('VolumeBackupSizeExceedsAvailableQuota',
    `Requested backup exceeds allowed Backup gigabytes quota. Requested ${requested}G, quota is ${limit}G and ${used}G has been consumed.`);

/** process_reserve_over_quota: a gigabytes resource is a size error, anything else a count error. */
function countOrSize(count: (resource: string, limit: number) => ApiError, size: Over = volumeSize): Over {
  return (resource, limit, used, requested) => (resource.includes('gigabytes') ? size(resource, limit, used, requested) : count(resource, limit));
}

const typed = (type: string | null | undefined, resources: [string, number][]): [string, number][] =>
  type ? resources.map(([r, n]) => [`${r}_${type}`, n]) : [];

/** The volume quota `per_volume_gigabytes` (cinder/quota.py limit_check), checked before any reservation. */
function checkPerVolume(q: QuotaState, sizeGb: number): void {
  const perVolume = q.limits.per_volume_gigabytes ?? -1;
  if (perVolume >= 0 && sizeGb > perVolume) {
    throw overLimit('VolumeSizeExceedsLimit', `Requested volume size ${sizeGb}G is larger than maximum allowed limit ${perVolume}G.`);
  }
}

const volumesOver = countOrSize((resource, limit) =>
  overLimit('VolumeLimitExceeded', `Maximum number of volumes allowed (${limit}) exceeded for quota '${resource}'.`));
const snapshotsOver = countOrSize((_r, limit) =>
  overLimit('SnapshotLimitExceeded', `Maximum number of snapshots allowed (${limit}) exceeded`));

const volumeDeltas = (sizeGb: number, type: string | null | undefined): [string, number][] =>
  [['volumes', 1], ['gigabytes', sizeGb], ...typed(type, [['volumes', 1], ['gigabytes', sizeGb]])];
const snapshotDeltas = (count: number, gigabytes: number, type: string | null | undefined): [string, number][] =>
  [['snapshots', count], ['gigabytes', gigabytes], ...typed(type, [['snapshots', count], ['gigabytes', gigabytes]])];

/** Before a volume create of `sizeGb` (0 when unknown) of type `type` (a name, when known). */
export async function checkVolumeCreate(deps: VolumeDeps, projectId: string, sizeGb: number, type: string | undefined): Promise<void> {
  const q = await quotaState(deps, projectId);
  checkPerVolume(q, sizeGb);
  reserve(q, volumeDeltas(sizeGb, type), volumesOver);
}

/** Before a snapshot of `volume` (its recorded cost; none: counted as 0 GB). */
export async function checkSnapshotCreate(deps: ServiceDeps, projectId: string, volume: VolumeCost | undefined): Promise<void> {
  reserve(await quotaState(deps, projectId), snapshotDeltas(1, volume?.sizeGb ?? 0, volume?.volumeType), snapshotsOver);
}

/**
 * Before the receiving project accepts a transfer of `volume` with the snapshots of sizes
 * `snapshotSizesGb` (none when the transfer has `no_snapshots`), as cinder/transfer/api.py
 * `accept` reserves for the receiver: per_volume_gigabytes, then the volume (volumes, gigabytes,
 * the type's), then its snapshots on top of that (snapshots, their volume sizes in gigabytes, the
 * type's; `_handle_snapshot_quota`).
 */
export async function checkTransferAccept(deps: VolumeDeps, projectId: string, volume: Pick<VolumeCost, 'sizeGb' | 'volumeType'>, snapshotSizesGb: number[]): Promise<void> {
  const q = await quotaState(deps, projectId);
  checkPerVolume(q, volume.sizeGb);
  reserve(q, volumeDeltas(volume.sizeGb, volume.volumeType), volumesOver);
  if (snapshotSizesGb.length === 0) return;
  const gigabytes = snapshotSizesGb.reduce((a, b) => a + b, 0);
  reserve(q, snapshotDeltas(snapshotSizesGb.length, gigabytes, volume.volumeType), snapshotsOver);
}

/** Before a backup of `volume`. */
export async function checkBackupCreate(deps: VolumeDeps, projectId: string, volume: VolumeCost | undefined): Promise<void> {
  reserve(await quotaState(deps, projectId), [['backups', 1], ['backup_gigabytes', volume?.sizeGb ?? 0]], countOrSize((_r, limit) =>
    overLimit('BackupLimitExceeded', `Maximum number of backups allowed (${limit}) exceeded`), backupSize));
}

/**
 * Before `os-extend` of `volume` to `newSize`. Cinder's `_extend` reports the gigabytes quota and
 * its consumption whichever resource (gigabytes or the type's) was over.
 */
export async function checkExtend(deps: VolumeDeps, projectId: string, volume: VolumeCost, newSize: number): Promise<void> {
  const increase = newSize - volume.sizeGb;
  if (increase <= 0) return; // the pod refuses a size that is not larger, in its own words
  const q = await quotaState(deps, projectId);
  const gigabytes = q.used.gigabytes!;
  reserve(q, [['gigabytes', increase], ...typed(volume.volumeType, [['gigabytes', increase]])], () =>
    volumeSize('gigabytes', q.limits.gigabytes!, gigabytes, increase));
}

/** What the source of a volume create (a snapshot, volume or backup) costs, when recorded. */
export function sourceCost(deps: ServiceDeps, type: VolumeResourceType, id: string): Promise<VolumeCost | undefined> {
  return deps.store.volumeUsage.get(id, type).catch(() => undefined);
}

/** The size and type a pod shows for a volume (a create's answer or a show). */
export function volumeCostOf(volume: unknown): { sizeGb: number; volumeType: string | null } | undefined {
  const v = volume as { size?: unknown; volume_type?: unknown } | null | undefined;
  if (!v || typeof v.size !== 'number') return undefined;
  return { sizeGb: v.size, volumeType: typeof v.volume_type === 'string' ? v.volume_type : null };
}

/**
 * Records what a created resource costs: a volume as its pod's answer shows it; a snapshot or a
 * backup as Cinder reserves it, at the size (and type) of its volume. Best effort: the resource
 * exists and is routed; a missing record only undercounts gigabytes.
 */
export async function recordCost(deps: ServiceDeps, r: { id: string; type: VolumeResourceType; projectId: string; answer?: unknown; volumeId?: string }): Promise<void> {
  try {
    const cost = r.type === 'volume'
      ? volumeCostOf((r.answer as { volume?: unknown } | null)?.volume)
      : await deps.store.volumeUsage.get(r.volumeId ?? '', 'volume');
    if (!cost) return;
    await deps.store.volumeUsage.record({ topId: r.id, type: r.type, projectId: r.projectId, sizeGb: cost.sizeGb, volumeType: r.type === 'backup' ? null : cost.volumeType });
  } catch {
    // see above
  }
}
