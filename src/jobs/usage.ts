/**
 * What an adopted resource costs against the quotas the gateway enforces, read from the pod's
 * own detail of it: a server's flavor (inline from Nova 2.47 — vcpus, ram, original_name — or,
 * at older versions, the flavor id looked up in the gateway's catalog), a volume's size and type.
 * Nova counts cores and RAM from the instance's current flavor (nova/quota.py
 * `_instances_cores_ram_count_legacy`, InstanceList.get_counts), so the flavor the pod shows is
 * what the server costs. Best effort: without a record an adopted resource counts as one instance
 * or one volume only.
 */
import type { ResourceType } from '../routing';
import type { Store } from '../store';

interface InlineFlavor {
  id?: unknown;
  vcpus?: unknown;
  ram?: unknown;
  original_name?: unknown;
}

async function serverCost(store: Store, item: Record<string, unknown>): Promise<{ flavorid: string; vcpus: number; memoryMb: number } | undefined> {
  const f = item.flavor as InlineFlavor | undefined;
  if (!f || typeof f !== 'object') return undefined;
  if (typeof f.vcpus === 'number' && typeof f.ram === 'number') {
    const name = typeof f.original_name === 'string' ? f.original_name : '';
    const known = name ? await store.flavors.getByName(name) : undefined;
    return { flavorid: known?.flavorid ?? name, vcpus: f.vcpus, memoryMb: f.ram };
  }
  if (typeof f.id !== 'string') return undefined;
  const known = await store.flavors.get(f.id);
  return known ? { flavorid: known.flavorid, vcpus: known.vcpus, memoryMb: known.memory_mb } : undefined;
}

/** Records what resource `id` (as its pod details it in `item`) costs in `projectId`. */
export async function recordAdoptedCost(store: Store, type: ResourceType, projectId: string, id: string, item: Record<string, unknown>): Promise<void> {
  try {
    if (type === 'server') {
      const cost = await serverCost(store, item);
      if (!cost) return;
      await store.quotas.recordServer({ topId: id, projectId, userId: typeof item.user_id === 'string' ? item.user_id : '', ...cost });
    } else if (type === 'volume' || type === 'snapshot' || type === 'backup') {
      if (typeof item.size !== 'number') return;
      const volumeType = type === 'volume' && typeof item.volume_type === 'string' ? item.volume_type : null;
      await store.volumeUsage.record({ topId: id, type, projectId, sizeGb: item.size, volumeType });
    }
  } catch {
    // see above
  }
}
