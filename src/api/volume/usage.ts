/**
 * What a project uses, for `limits` and `os-quota-sets?usage=true`: the limits are the gateway's
 * (quotas.ts), the usage lives in the pods, so the pods holding the project's resources are asked
 * for their `/limits` in parallel and the totals added up. A pod that does not answer counts as
 * zero (and is named in the missing-pods header); usage is informative (the gateway does not enforce quotas, see quotas.ts).
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import type { GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';

/** Cinder's absolute `total*Used` names and the quota resource each one counts. */
export const USED_FIELDS = {
  volumes: 'totalVolumesUsed',
  gigabytes: 'totalGigabytesUsed',
  snapshots: 'totalSnapshotsUsed',
  backups: 'totalBackupsUsed',
  backup_gigabytes: 'totalBackupGigabytesUsed',
} as const;

export type Usage = Record<keyof typeof USED_FIELDS, number>;

export async function projectUsage(deps: VolumeDeps, c: Context<GatewayEnv>, projectId: string): Promise<Usage> {
  const usage: Usage = { volumes: 0, gigabytes: 0, snapshots: 0, backups: 0, backup_gigabytes: 0 };
  const routings = await deps.store.routings.list({ project_id: projectId, status: 'active' });
  const podIds = new Set(routings.filter((r) => r.resource_type !== 'server' && r.resource_type !== 'server_group').map((r) => r.pod_id));
  const pods = (await deps.podDir.list()).filter((p) => podIds.has(p.pod_id));
  const path = `/v3/${encodeURIComponent(projectId)}/limits`;
  // A pod that does not answer 200 is named in X-Trio2o-Missing-Pods: the sum lacks its part.
  const { answers } = await askPods(deps, c, pods, { service: 'volumev3', name: 'limits', question: () => ({ path, projectId }), accept: (s) => s === 200 });
  for (const a of answers) {
    const absolute = (a.body as { limits?: { absolute?: Record<string, unknown> } } | null)?.limits?.absolute;
    if (!absolute) continue;
    for (const [resource, field] of Object.entries(USED_FIELDS) as [keyof Usage, string][]) {
      const n = absolute[field];
      if (typeof n === 'number') usage[resource] += n;
    }
  }
  return usage;
}
