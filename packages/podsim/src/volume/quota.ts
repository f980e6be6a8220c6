// Cinder's quota check on volume create, snapshot create and extend (cinder/quota.py reserve +
// the 413 faults cinder/volume/api.py raises). Only limits an admin set for the project through
// os-quota-sets are enforced; the defaults are reported but not enforced, so tests and
// benchmarks can create many volumes in one project.
import { CinderFault } from './faults';
import { usage } from './misc';
import type { CinderState } from './state';

export type QuotaDelta = Partial<Record<'volumes' | 'snapshots' | 'gigabytes', number>>;

/**
 * Throw 413 overLimit when `delta` would take the project over a limit set for it.
 * @example enforceQuota(st, projectId, { volumes: 1, gigabytes: size });
 */
export function enforceQuota(st: CinderState, projectId: string, delta: QuotaDelta): void {
  const limits = st.quotaOverrides.get(projectId);
  if (!limits) return;
  const used = usage(st, projectId);
  for (const name of ['volumes', 'snapshots'] as const) {
    const limit = limits[name];
    if ((delta[name] ?? 0) > 0 && limit !== undefined && limit >= 0 && used[name]! + delta[name]! > limit) {
      const what = name === 'volumes' ? `volumes allowed (${limit}) exceeded for quota 'volumes'.` : `snapshots allowed (${limit}) exceeded`;
      throw new CinderFault(413, `Maximum number of ${what}`);
    }
  }
  const want = delta.gigabytes ?? 0;
  const limit = limits.gigabytes;
  if (want > 0 && limit !== undefined && limit >= 0 && used.gigabytes! + want > limit) {
    throw new CinderFault(413, `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${want}G, quota is ${limit}G and ${used.gigabytes}G has been consumed.`);
  }
}
