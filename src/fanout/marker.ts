/**
 * The caller's marker: an ordinary resource id. Its pod comes from the routing table and its
 * sort values from that pod (a GET of the resource), as Nova's cross-cell lister reads the marker
 * record from its own cell (`get_marker_record`). An id the caller may not see is "not found";
 * a marker whose pod does not answer stops the list with 503, since no page after it can be
 * built correctly.
 */
import type { Context } from 'hono';
import { ApiError, serviceUnavailable, type GatewayEnv } from '../http';
import { isPodError } from '../pods';
import { callPod, isInnerZone } from '../proxy';
import type { Pod } from '../store';
import { sortValues, type SortValue } from './sort';
import type { ListRequest } from './request';
import type { FanoutDeps, FanoutSpec, Item } from './types';

export interface ResolvedMarker {
  id: string;
  pod: Pod;
  values: SortValue[];
}

function podDown(spec: FanoutSpec, marker: string, pod: Pod, why: string, cause?: unknown): ApiError {
  return serviceUnavailable(
    `Cannot list ${spec.collection} after marker ${marker}: pod ${pod.pod_name}, which holds it, ${why}. ` +
      'Retry later, or list from the start without the marker.',
    cause,
  );
}

export async function resolveMarker(
  deps: FanoutDeps,
  c: Context<GatewayEnv>,
  spec: FanoutSpec,
  req: ListRequest,
  marker: string,
): Promise<ResolvedMarker> {
  const routing = await deps.routes.lookup(marker, spec.resourceType);
  if (!routing || (!req.allTenants && routing.project_id !== req.projectId)) throw spec.markerNotFound(marker);
  const pod = await deps.podDir.get(routing.pod_id);
  if (!pod) throw spec.markerNotFound(marker);
  let res;
  try {
    res = await callPod(deps.proxy, c, {
      pod,
      service: spec.service,
      projectId: req.projectId,
      method: 'GET',
      path: spec.podShowPath(marker),
      search: '',
      body: null,
      timeoutMs: deps.listTimeoutMs,
    });
  } catch (err) {
    if (isPodError(err)) throw podDown(spec, marker, pod, 'is not answering', err);
    throw err;
  }
  if (res.status >= 500) {
    await res.dump();
    throw podDown(spec, marker, pod, `answers ${res.status}`);
  }
  if (res.status >= 400) {
    await res.dump();
    throw spec.markerNotFound(marker);
  }
  let item: Item | undefined;
  try {
    item = (JSON.parse(await res.text()) as Record<string, Item | undefined>)[spec.member];
  } catch {
    item = undefined;
  }
  if (!item || typeof item !== 'object') throw podDown(spec, marker, pod, 'gave a malformed answer');
  if (spec.az && (spec.az.always || spec.az.field in item) && !isInnerZone(spec.az.inner, pod.pod_id, item[spec.az.field])) item[spec.az.field] = pod.az_name;
  return { id: marker, pod, values: sortValues(spec.sort, req.plan, item) };
}
