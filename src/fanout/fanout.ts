/**
 * `fanoutList`: one list across the pods, for every list whose items live in the pods (servers,
 * volumes, snapshots, backups):
 *
 *   parse (limit, marker, sort plan, filters) → pick pods → resolve the marker in its own pod →
 *   ask every pod in parallel, each under its own deadline, for at most `limit` items after
 *   its position → k-way merge → `limit` items → view → `<collection>_links` next → the
 *   missing-pods header, minimal records where Nova 2.69 gives them, metrics.
 *
 * The original asked pods one after another, concatenated, ignored paging and failed the whole
 * list when one pod failed; none of that survives here.
 */
import type { Context } from 'hono';
import { isFullPage, nextLink, type GatewayEnv } from '../http';
import { CursorCache } from './cursors';
import { resolveMarker, type ResolvedMarker } from './marker';
import { mergeSources } from './merge';
import { FanoutMetrics } from './metrics';
import { minimalRecords, reportFanout } from './partial';
import { PodSource } from './pod-source';
import { parseListRequest, type ListRequest } from './request';
import { targetPods } from './targets';
import type { Fanout, FanoutDeps, FanoutSpec, Item, MissingPod } from './types';

/** One fan-out state per gateway: shared metrics and page positions. */
export function createFanout(opts: { cursors?: CursorCache } = {}): Fanout {
  return { metrics: new FanoutMetrics(), cursors: opts.cursors ?? new CursorCache() };
}

/**
 * One source per pod. The marker's own pod continues after the marker natively; every other pod
 * starts where the previous page left it (cursor cache) or at its start.
 */
async function sourcesFor(deps: FanoutDeps, c: Context<GatewayEnv>, spec: FanoutSpec, req: ListRequest, marker?: ResolvedMarker): Promise<PodSource[]> {
  const pods = await targetPods(deps, spec, req);
  const positions = marker ? deps.fanout.cursors.get(req.signature, marker.id) : undefined;
  const deadline = Date.now() + deps.listTimeoutMs;
  const pageSize = firstBatch(req.limit, pods.length);
  return pods.map((pod) => {
    const start = marker && pod.pod_id === marker.pod.pod_id ? marker.id : (positions?.get(pod.pod_id) ?? null);
    return new PodSource(deps, c, spec, req, pod, { start, after: marker?.values, pageSize, deadline });
  });
}

/** Extra share of a page each pod is asked for first (Nova's "distributed" batch strategy). */
const BATCH_SHARE_FACTOR = 1.5;
/** Floor of a first batch, so small skews never cost a second round trip. */
const BATCH_MIN = 10;
/**
 * Up to this many items asked of all pods together, every pod is asked for the whole page at
 * once: a page whose items all come from one pod (a name filter, one busy pod, the newest items)
 * then needs no second round trip. The gateway parses at most this many items for a page, the
 * bound that keeps a list's memory flat.
 */
export const WHOLE_PAGE_BUDGET = 1000;

/**
 * How many items each pod is asked for first. Small pages (limit × pods ≤ WHOLE_PAGE_BUDGET):
 * the whole limit from every pod, so no page costs a second round trip. Larger ones: a fair
 * share plus a margin, which keeps the gateway from parsing N × limit items to return `limit`;
 * a pod whose share runs out is asked again (its batch doubles), so the answer is the same
 * either way — only a strongly skewed large page costs one more round trip.
 */
export function firstBatch(limit: number, pods: number): number {
  if (pods <= 1 || limit * pods <= WHOLE_PAGE_BUDGET) return limit;
  return Math.min(limit, Math.max(BATCH_MIN, Math.ceil((limit / pods) * BATCH_SHARE_FACTOR)));
}

/**
 * Answers a list request across the caller's pods.
 * @param deps the gateway parts a list needs (see FanoutDeps)
 * @param c the request; `projectId`, `auth` and `requestId` must be set
 * @param spec what is listed and how (see FanoutSpec; servers: `serverListSpec`)
 * @example
 * app.get('/v2.1/:project_id/servers/detail', (c) => fanoutList(deps, c, serverListSpec(c, true)));
 */
export async function fanoutList(deps: FanoutDeps, c: Context<GatewayEnv>, spec: FanoutSpec): Promise<Response> {
  const started = performance.now();
  const req = parseListRequest(c, spec, deps.maxLimit);
  const marker = req.marker === undefined ? undefined : await resolveMarker(deps, c, spec, req, req.marker);
  const sources = await sourcesFor(deps, c, spec, req, marker);
  if (req.limit > 0) await Promise.all(sources.map((s) => s.fetch()));
  const entries = req.limit > 0 ? await mergeSources(sources, req.plan, req.limit) : [];

  const rejected = sources.find((s) => s.clientError);
  if (rejected?.clientError) {
    const e = rejected.clientError;
    return c.body(e.body, e.status as 400, e.contentType ? { 'content-type': e.contentType } : {});
  }

  const failed = sources.filter((s) => s.failure);
  const minimalOk = failed.length > 0 && spec.downRecords !== undefined && spec.downRecords.allowed(c, req.params);
  let items: Item[] = entries.map((e) => (spec.view ? spec.view(e.item) : e.item));
  if (minimalOk) {
    const listed = new Set(entries.map((e) => e.item.id));
    items = [...(await minimalRecords(c, spec, failed, listed, req.limit - items.length)), ...items];
  }
  const missing: MissingPod[] = failed.map((s) => ({ pod: s.pod, reason: s.failure!, shown: minimalOk ? 'minimal' : 'skipped' }));

  const body: Record<string, unknown> = { [spec.collection]: items };
  const last = items.at(-1);
  if (isFullPage(req.limit, items.length) && last) {
    // Nova's next link: the request's own parameters, sorted by name, with `marker` = last id.
    body[`${spec.collection}_links`] = [nextLink(c, last.id, { publicUrl: deps.publicUrl, sorted: true })];
    // Where every pod stands at this page's end, for the page the next link asks for.
    deps.fanout.cursors.set(req.signature, last.id, new Map(sources.map((s) => [s.pod.pod_id, s.position])));
  }
  reportFanout(c, deps.fanout.metrics, { collection: spec.collection, pods: sources.length, missing, items: items.length, started });
  return c.json(body);
}
