/**
 * Lists with pods missing. Nova 2.69 (servers.py `_is_cell_down_supported`, compute/api.py
 * `_generate_minimal_construct_for_down_cells`): when a cell does not answer, a list WITHOUT
 * paging, sorting or filters other than all_tenants gets minimal records (status UNKNOWN) for
 * that cell's instances, built from the API database and put before the real results; any
 * other list skips the cell. Here the routing table plays the API database.
 *
 * Either way the response names the missing pods in one header, documented in docs/fanout.md:
 *   X-Trio2o-Missing-Pods: Pod2;reason=unreachable;shown=skipped, Pod3;reason=timeout;shown=minimal
 */
import type { Context } from 'hono';
import type { FanoutMetrics } from './metrics';
import type { GatewayEnv } from '../http';
import type { PodError, PodErrorCode } from '../pods';
import type { Routing } from '../store';
import type { PodSource } from './pod-source';
import type { FanoutSpec, Item, MissingPod, MissingReason } from './types';

export const MISSING_PODS_HEADER = 'X-Trio2o-Missing-Pods';

/** Nova's PAGING_SORTING_PARAMS. */
export const PAGING_SORTING_PARAMS: readonly string[] = ['sort_key', 'sort_dir', 'limit', 'marker'];

const REASONS: Record<PodErrorCode, MissingReason> = {
  TRIO2O_POD_UNREACHABLE: 'unreachable',
  TRIO2O_POD_TIMEOUT: 'timeout',
  TRIO2O_POD_BAD_RESPONSE: 'bad_response',
  TRIO2O_POD_CIRCUIT_OPEN: 'circuit_open',
  TRIO2O_POD_NO_ENDPOINT: 'no_endpoint',
};

/** Why a pod that failed in transport is missing. */
export function reasonFor(err: PodError): MissingReason {
  return REASONS[err.code];
}

/** The header value for the missing pods, in pod order. */
export function missingHeader(missing: MissingPod[]): string {
  return missing.map((m) => `${m.pod.pod_name};reason=${m.reason};shown=${m.shown}`).join(', ');
}

/** The end of every fan-out: the missing pods named in the response header, and one metric event. */
export function reportFanout(
  c: Context,
  metrics: FanoutMetrics,
  o: { collection: string; pods: number; missing: MissingPod[]; items: number; started: number },
): void {
  if (o.missing.length > 0) c.header(MISSING_PODS_HEADER, missingHeader(o.missing));
  metrics.record({
    collection: o.collection,
    pods: o.pods,
    missing: o.missing.map((m) => ({ podId: m.pod.pod_id, podName: m.pod.pod_name, reason: m.reason, shown: m.shown })),
    items: o.items,
    ms: performance.now() - o.started,
  });
}

/** Newest first, then id: a stable order for records the pods could not sort. */
function byCreatedDesc(a: Routing, b: Routing): number {
  return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.top_id < b.top_id ? -1 : a.top_id > b.top_id ? 1 : 0;
}

/**
 * Minimal records for the failed sources, at most `room` of them, skipping ids already listed.
 * Returns them in pod order, each pod's newest first.
 */
export async function minimalRecords(
  c: Context<GatewayEnv>,
  spec: FanoutSpec,
  failed: PodSource[],
  listed: Set<string>,
  room: number,
): Promise<Item[]> {
  const out: Item[] = [];
  for (const s of failed) {
    if (out.length >= room) break;
    const rows = [...(await s.visible()).values()].filter((r) => !listed.has(r.top_id)).sort(byCreatedDesc);
    for (const r of rows.slice(0, room - out.length)) out.push(spec.downRecords!.build(r, c, spec.detail));
  }
  return out;
}
