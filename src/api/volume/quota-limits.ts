/**
 * A project's volume quota limits: Cinder's defaults (cinder/quota.py `quota_*` options) and its
 * per-type resources, as the `default` quota class changes them, overridden by what an admin set
 * for the project (`os-quota-sets`, kept in the store).
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

/** The quota class every project's defaults come from (cinder/quota.py). */
export const DEFAULT_QUOTA_CLASS = 'default';

/** Cinder's built-in defaults plus its per-type resources (`volumes_<type>` ...), unlimited. */
export async function builtIn(deps: VolumeDeps): Promise<Record<string, number>> {
  const out = { ...DEFAULT_VOLUME_QUOTAS };
  for (const t of await deps.store.volumeTypes.list()) {
    for (const r of ['volumes', 'gigabytes', 'snapshots']) out[`${r}_${t.name}`] = -1;
  }
  return out;
}

/**
 * A quota class's limits: what an admin set for the class, else the `default` class's, else the
 * built-in defaults (cinder/quota.py DbQuotaDriver.get_class_quotas with defaults).
 */
export async function classLimits(deps: VolumeDeps, name: string): Promise<Record<string, number>> {
  const out = await builtIn(deps);
  const classes = name === DEFAULT_QUOTA_CLASS ? [DEFAULT_QUOTA_CLASS] : [DEFAULT_QUOTA_CLASS, name];
  for (const cls of classes) {
    const set = (await deps.store.catalogItems.get<Record<string, number>>('quota_class', cls))?.body ?? {};
    for (const k of Object.keys(out)) if (Object.hasOwn(set, k)) out[k] = set[k]!;
  }
  return out;
}

/** The defaults every project starts from: the `default` quota class. */
export function defaults(deps: VolumeDeps): Promise<Record<string, number>> {
  return classLimits(deps, DEFAULT_QUOTA_CLASS);
}

export async function limitsOf(deps: VolumeDeps, projectId: string): Promise<Record<string, number>> {
  const base = await defaults(deps);
  const set = await deps.store.volumeQuotas.get(projectId);
  for (const k of Object.keys(base)) if (Object.hasOwn(set, k)) base[k] = set[k]!;
  return base;
}

