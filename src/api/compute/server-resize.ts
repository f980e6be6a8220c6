/**
 * Cores and RAM through a resize, as Nova counts them. Nova counts an instance's cores and RAM
 * from its current flavor (nova/quota.py `_instances_cores_ram_count_legacy`, the instances
 * table's vcpus and memory_mb); the compute host sets them to the new flavor when it finishes the
 * resize (VERIFY_RESIZE), back to the old one on revert (nova/compute/manager.py
 * `_set_instance_info`), and a confirm keeps them. So here: a resize the pod accepted makes the
 * server cost the new flavor and keeps the old one; `revertResize` goes back to it;
 * `confirmResize` forgets it. Before forwarding, an upsize (and the revert of a downsize) is
 * checked for its growth, as nova/compute/api.py `_check_quota_for_upsize` does.
 */
import * as v from 'valibot';
import type { ComputeDeps } from './deps';
import { checkResizeQuota, flavorIdOf } from './server-quota';

const Resize = v.object({ resize: v.looseObject({ flavorRef: v.union([v.string(), v.number()]) }) });

/** What the pod's 2xx answer to the action makes true for the server's cost. */
export type ResizeStep = { kind: 'resize'; to: { flavorid: string; vcpus: number; memoryMb: number } } | { kind: 'confirmed' | 'reverted' };

/**
 * Reads a server action body; checks an upsize against the quota.
 * @returns the change to make once the pod accepted the action, if it is one of the three
 * @throws ApiError 403 when an upsize would exceed the cores or RAM quota
 */
export async function resizeStep(deps: ComputeDeps, serverId: string, body: unknown): Promise<ResizeStep | undefined> {
  const confirm = body !== null && typeof body === 'object' && 'confirmResize' in body;
  const revert = body !== null && typeof body === 'object' && 'revertResize' in body;
  if (!confirm && !revert && !v.is(Resize, body)) return undefined;
  const cost = await deps.store.quotas.serverCost(serverId);
  if (!cost) return undefined; // a server whose cost was never recorded stays uncounted
  if (confirm) return { kind: 'confirmed' };
  if (revert) {
    if (cost.resizingFrom) await checkResizeQuota(deps, cost.projectId, cost, cost.resizingFrom);
    return { kind: 'reverted' };
  }
  const flavorId = flavorIdOf((body as v.InferOutput<typeof Resize>).resize.flavorRef);
  const flavor = flavorId === undefined ? undefined : await deps.store.flavors.get(flavorId);
  if (!flavor) return undefined; // the pod judges a flavor the catalog does not have
  await checkResizeQuota(deps, cost.projectId, cost, { vcpus: flavor.vcpus, memoryMb: flavor.memory_mb });
  return { kind: 'resize', to: { flavorid: flavor.flavorid, vcpus: flavor.vcpus, memoryMb: flavor.memory_mb } };
}

/** Applies a step the pod accepted. Best effort: a lost update only miscounts cores and RAM. */
export async function applyResizeStep(deps: ComputeDeps, serverId: string, step: ResizeStep): Promise<void> {
  try {
    if (step.kind === 'resize') await deps.store.quotas.resizeServer(serverId, step.to);
    else await deps.store.quotas.endResize(serverId, step.kind);
  } catch {
    // see above
  }
}
