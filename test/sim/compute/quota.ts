// Nova's quota check for instances, cores and ram (nova/compute/api.py _check_num_instances_quota
// and resize's upsize check): a request that would go over a project's limit is refused with 403
// and Nova's "Quota exceeded" message. Limits are the project's os-quota-sets values.
import { forbidden } from './context';
import type { NovaDeps } from './deps';
import { DEFAULT_QUOTAS, usage } from './pod-resources';

export type QuotaDelta = Partial<Record<'instances' | 'cores' | 'ram', number>>;

/**
 * Throw 403 when adding `delta` to the project's usage exceeds any of its limits (-1 = unlimited).
 * @example enforceQuota(deps, project, { instances: 1, cores: flavor.vcpus, ram: flavor.ram });
 */
export function enforceQuota(deps: NovaDeps, project: string, delta: QuotaDelta): void {
  const limits = { ...DEFAULT_QUOTAS, ...deps.state.quotas.get(project) };
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
