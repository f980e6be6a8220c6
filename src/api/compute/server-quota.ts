/**
 * The quota checks Nova makes at the API on server create, answered by the gateway before any
 * pod is touched (the original computed them and threw the result away):
 * - metadata: item count over `metadata_items` → 403; a key or value over 255 characters → 400;
 * - personality (below 2.57): file count, longest path, largest content → 403;
 * - instances, cores, ram: usage counted from the routing table (servers with an active route,
 *   cores/RAM from the current flavor recorded per server) plus `min_count` times the flavor → 403.
 * The flavor comes from the gateway's own catalog; an unknown flavorRef is left to the pod.
 */
import type { Flavor } from '../../store';
import { badRequest, forbidden, isSupported, type Version } from '../../http';
import type { ComputeDeps } from './deps';
import { effectiveLimits, usage } from './quota-engine';

export interface ServerRequest {
  flavorRef?: unknown;
  metadata?: unknown;
  personality?: unknown;
  min_count?: unknown;
}

/** The flavor id of a flavorRef (an id or a link to one). */
export function flavorIdOf(ref: unknown): string | undefined {
  if (typeof ref !== 'string' && typeof ref !== 'number') return undefined;
  const s = String(ref).replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1) || undefined;
}

function checkMetadata(metadata: unknown, allowed: number): void {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return;
  const entries = Object.entries(metadata);
  if (allowed >= 0 && entries.length > allowed) throw forbidden(`Maximum number of metadata items exceeds ${allowed}`);
  for (const [k, val] of entries) {
    if (k.length > 255) throw badRequest('Invalid metadata size: Metadata property key greater than 255 characters');
    if (typeof val === 'string' && val.length > 255) throw badRequest('Invalid metadata size: Metadata property value greater than 255 characters');
  }
}

function checkPersonality(personality: unknown, limits: Record<string, number>): void {
  if (!Array.isArray(personality) || personality.length === 0) return;
  const files = limits.injected_files!;
  if (files >= 0 && personality.length > files) throw forbidden('Personality file limit exceeded');
  let path = 0;
  let content = 0;
  for (const f of personality as { path?: unknown; contents?: unknown }[]) {
    path = Math.max(path, typeof f?.path === 'string' ? f.path.length : 0);
    content = Math.max(content, typeof f?.contents === 'string' ? f.contents.length : 0);
  }
  const maxPath = limits.injected_file_path_bytes!;
  const maxContent = limits.injected_file_content_bytes!;
  if (maxPath >= 0 && path > maxPath) throw forbidden(`Personality file path exceeds maximum ${maxPath}`);
  if (maxContent >= 0 && content > maxContent) throw forbidden(`Personality file content exceeds maximum ${maxContent}`);
}

/**
 * Runs every check; returns the catalog flavor (for usage recording) when the flavorRef names one.
 * @throws ApiError 403/400 in Nova's words
 */
export async function checkServerQuota(deps: ComputeDeps, version: Version, projectId: string, server: ServerRequest): Promise<Flavor | undefined> {
  const limits = await effectiveLimits(deps.store, projectId);
  if (!isSupported(version, '2.57')) checkPersonality(server.personality, limits);
  checkMetadata(server.metadata, limits.metadata_items!);
  const flavorId = flavorIdOf(server.flavorRef);
  const flavor = flavorId === undefined ? undefined : await deps.store.flavors.get(flavorId);
  const count = Number(server.min_count ?? 1);
  const n = Number.isInteger(count) && count > 0 ? count : 1;
  checkDeltas(limits, await usage(deps.store, projectId), [
    ['cores', flavor ? flavor.vcpus * n : 0],
    ['instances', n],
    ['ram', flavor ? flavor.memory_mb * n : 0],
  ]);
  return flavor;
}

/** Nova's TooManyInstances for the first resource the deltas would take over its limit. */
function checkDeltas(limits: Record<string, number>, used: Record<string, number>, deltas: [string, number][]): void {
  for (const [res, req] of deltas) {
    const allowed = limits[res]!;
    if (allowed >= 0 && req > 0 && used[res]! + req > allowed) {
      throw forbidden(`Quota exceeded for ${res}: Requested ${req}, but already used ${used[res]} of ${allowed} ${res}`);
    }
  }
}

/**
 * A resize (or a revert) from `from` to `to`: only an upsize is checked, for its growth in cores
 * and RAM (nova/compute/api.py `_check_quota_for_upsize`, compute_utils.upsize_quota_delta).
 * @throws ApiError 403 in Nova's words
 */
export async function checkResizeQuota(deps: ComputeDeps, projectId: string, from: { vcpus: number; memoryMb: number }, to: { vcpus: number; memoryMb: number }): Promise<void> {
  const cores = to.vcpus - from.vcpus;
  const ram = to.memoryMb - from.memoryMb;
  if (cores <= 0 && ram <= 0) return;
  const limits = await effectiveLimits(deps.store, projectId);
  checkDeltas(limits, await usage(deps.store, projectId), [['cores', cores], ['ram', ram]]);
}
