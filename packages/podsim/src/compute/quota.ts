// Nova's quota checks for instances, cores, ram and metadata_items (nova/compute/api.py:
// _check_num_instances_quota, _check_metadata_properties_quota, resize's upsize check): a
// request that would go over a project's limit is refused with 403 and Nova's "Quota exceeded"
// message. Only limits set for the project through os-quota-sets are enforced: the defaults are
// reported but not enforced, so tests and benchmarks can create many servers in one project.
import { forbidden } from './context';
import type { NovaDeps } from './deps';
import { DEFAULT_QUOTAS, usage } from './pod-resources';

export type QuotaDelta = Partial<Record<'instances' | 'cores' | 'ram', number>>;

/**
 * Throw 403 when adding `delta` to the project's usage exceeds any of its limits (-1 = unlimited).
 * @example enforceQuota(deps, project, { instances: 1, cores: flavor.vcpus, ram: flavor.ram });
 */
export function enforceQuota(deps: NovaDeps, project: string, delta: QuotaDelta): void {
  const limits: Record<string, number> = { ...deps.state.quotas.get(project) };
  const used = usage(deps, project);
  for (const key of ['instances', 'cores', 'ram'] as const) {
    const want = delta[key] ?? 0;
    const limit = limits[key] ?? -1;
    if (want <= 0 || limit < 0) continue;
    if (used[key] + want > limit) {
      throw forbidden(`Quota exceeded for ${key}: Requested ${want}, but already used ${used[key]} of ${limit} ${key}`);
    }
  }
}

/** Nova's metadata_items limit on a server's metadata (403, nova/compute/api.py). */
export function enforceMetadataQuota(deps: NovaDeps, project: string, metadata: Record<string, string>): void {
  const limit = deps.state.quotas.get(project)?.metadata_items ?? DEFAULT_QUOTAS.metadata_items!;
  const count = Object.keys(metadata).length;
  if (limit >= 0 && count > limit) throw forbidden(`Quota exceeded for metadata_items: Requested ${count}, but already used 0 of ${limit} metadata_items`);
}
