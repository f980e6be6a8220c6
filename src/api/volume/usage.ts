/**
 * What a project uses, for `limits` and `os-quota-sets?usage=true`: the limits are the gateway's
 * (quotas.ts), the usage lives in the pods, so the pods holding the project's resources are asked
 * for their `/limits` in parallel and the totals added up. A pod that does not answer counts as
 * zero; usage is informative (the gateway does not enforce quotas, see quotas.ts).
 */
import type { Context } from 'hono';
import { callPod } from '../../proxy';
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
  const podIds = [...new Set(routings.filter((r) => r.resource_type !== 'server').map((r) => r.pod_id))];
  const answers = await Promise.allSettled(
    podIds.map(async (podId) => {
      const pod = await deps.podDir.get(podId);
      if (!pod) return undefined;
      const res = await callPod(deps.proxy, c, {
        pod,
        service: 'volumev3',
        projectId,
        method: 'GET',
        path: `/v3/${encodeURIComponent(projectId)}/limits`,
        search: '',
        timeoutMs: deps.listTimeoutMs,
      });
      if (res.status !== 200) return void (await res.dump());
      return (await res.json<{ limits?: { absolute?: Record<string, unknown> } }>()).limits?.absolute;
    }),
  );
  for (const a of answers) {
    if (a.status !== 'fulfilled' || !a.value) continue;
    for (const [resource, field] of Object.entries(USED_FIELDS) as [keyof Usage, string][]) {
      const n = a.value[field];
      if (typeof n === 'number') usage[resource] += n;
    }
  }
  return usage;
}
