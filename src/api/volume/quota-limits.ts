/**
 * A project's volume quota limits: Cinder's defaults (cinder/quota.py `quota_*` options) and its
 * per-type resources, overridden by what an admin set (`os-quota-sets`, kept in the store).
 */
import type { VolumeDeps } from './deps';

/** Cinder's default quotas (cinder/quota.py quota_* options). */
export const DEFAULT_VOLUME_QUOTAS: Readonly<Record<string, number>> = {
  volumes: 10,
  snapshots: 10,
  gigabytes: 1000,
  backups: 10,
  backup_gigabytes: 1000,
  per_volume_gigabytes: -1,
  groups: 10,
};

/** Defaults plus Cinder's per-type resources (`volumes_<type>` ...), unlimited by default. */
export async function defaults(deps: VolumeDeps): Promise<Record<string, number>> {
  const out = { ...DEFAULT_VOLUME_QUOTAS };
  for (const t of await deps.store.volumeTypes.list()) {
    for (const r of ['volumes', 'gigabytes', 'snapshots']) out[`${r}_${t.name}`] = -1;
  }
  return out;
}

export async function limitsOf(deps: VolumeDeps, projectId: string): Promise<Record<string, number>> {
  const base = await defaults(deps);
  const set = await deps.store.volumeQuotas.get(projectId);
  for (const k of Object.keys(base)) if (Object.hasOwn(set, k)) base[k] = set[k]!;
  return base;
}

