/**
 * Lists whose items the gateway cannot page with pod markers — attachments (listed through their
 * volumes), transfers, user messages: the pods are asked in parallel WITHOUT paging parameters,
 * their answers merged, and sorting (`sort=k:dir,...` or `sort_key`/`sort_dir`), `marker`,
 * `offset` and `limit` applied once to the merged list, so a marker from one pod never reaches
 * another. `<key>_links` point at the gateway. A pod that does not answer is named in
 * X-Trio2o-Missing-Pods (askPods).
 */
import type { Context } from 'hono';
import { askPods, type Item, type SortKey } from '../../fanout';
import { ApiError, badRequest, isSupported, nextLink, notFound, type GatewayEnv } from '../../http';
import type { Pod } from '../../store';
import { CINDER_QUERY, pageParams } from '../common';
import type { VolumeDeps } from './deps';
import { cinderSortKeys } from './list-sort';

/** Parameters the gateway answers itself; never sent to a pod. */
const GATEWAY_PARAMS = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir'];

/** One item a pod listed, with where it came from. */
export interface Listed {
  item: Item;
  pod: Pod;
  /** Orders items that tie on every sort key (higher first); @default 0 */
  rank: number;
}

export interface MergedListOptions {
  /** Body key of the list: 'attachments', 'transfers', 'messages'. */
  key: string;
  /** The path asked of every pod (`/v3/{project}/messages`). */
  podPath: string;
  pods: Pod[];
  /** Names the question in metrics and the missing-pods header. */
  name: string;
  /** Sort keys when the caller gives none. */
  defaultSort: SortKey[];
  /**
   * Whether to keep an item a pod listed (a shared pod never leaks another project's), and its
   * rank among ties. @default keep everything with rank 0
   */
  accept?(item: Item, pod: Pod): { rank: number } | undefined;
  /** Sees the kept items before paging (routes what it meets for the first time). */
  seen?(listed: Listed[]): Promise<void>;
  /** The caller's view of one item (a summary cut from the detailed one the pods gave). */
  view?(item: Item): Record<string, unknown>;
  /** The 404 for an unknown marker. */
  markerMissing?(marker: string): string;
  /** The microversion the collection appeared in: below it, Cinder's 404 before any pod is asked. */
  minVersion?: string;
}

/** Cinder's answer for a path its router does not serve at the request's microversion. */
export const NOT_SERVED = 'The resource could not be found.';

/** The message of a Cinder fault body (`{"badRequest": {"code": 400, "message": "..."}}`). */
function faultMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const inner = Object.values(body)[0] as { message?: unknown } | undefined;
  return typeof inner?.message === 'string' ? inner.message : undefined;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** Sort keys come from the caller: read own fields only, never an inherited member. */
function ownField(item: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(item, key) ? item[key] : undefined;
}

function offsetOf(q: URLSearchParams): number {
  const raw = q.get('offset');
  if (raw === null) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw badRequest(`Invalid input received: offset param must be an integer`);
  return n;
}

/**
 * Every kept item of every pod, ordered as the caller asked.
 * @throws ApiError 404 below `minVersion`; a pod's own 4xx (a filter it refused), as it said it
 */
export async function mergedItems(deps: VolumeDeps, c: Context<GatewayEnv>, o: MergedListOptions): Promise<Listed[]> {
  if (o.minVersion && !isSupported(c.get('apiVersion'), o.minVersion)) throw notFound(NOT_SERVED);
  const url = new URL(c.req.url);
  const keys = cinderSortKeys(url.searchParams);
  const order = keys.length > 0 ? keys : o.defaultSort;
  const podQuery = new URLSearchParams(url.searchParams);
  for (const p of GATEWAY_PARAMS) podQuery.delete(p);
  const search = podQuery.size ? `?${podQuery}` : '';
  const { answers } = await askPods(deps, c, o.pods, { service: 'volumev3', name: o.name, question: () => ({ path: o.podPath, search }) });
  // A pod that judged the request wrong (a bad filter) has the caller's answer.
  const refused = answers.find((a) => a.status >= 400);
  if (refused) throw new ApiError(refused.status, faultMessage(refused.body) ?? `Pod ${refused.pod.pod_name} answered ${refused.status}.`);
  const listed = answers.flatMap((a) => {
    const list = a.status === 200 ? (a.body as Record<string, unknown> | null)?.[o.key] : undefined;
    if (!Array.isArray(list)) return [];
    return (list as Item[]).flatMap((item) => {
      if (typeof item?.id !== 'string') return [];
      const kept = o.accept ? o.accept(item, a.pod) : { rank: 0 };
      return kept ? [{ item, pod: a.pod, rank: kept.rank }] : [];
    });
  });
  await o.seen?.(listed);
  listed.sort((a, b) => {
    for (const k of order) {
      const d = compareValues(ownField(a.item, k.key), ownField(b.item, k.key));
      if (d !== 0) return k.dir === 'desc' ? -d : d;
    }
    return b.rank - a.rank;
  });
  return listed;
}

/** The merged list, paged by `marker`, `offset` and `limit`, in Cinder's list shape. */
export async function mergedList(deps: VolumeDeps, c: Context<GatewayEnv>, o: MergedListOptions): Promise<Response> {
  const q = new URL(c.req.url).searchParams;
  const { limit, limitGiven, marker } = pageParams(q, CINDER_QUERY.limit, deps.maxLimit);
  const offset = offsetOf(q);
  const listed = await mergedItems(deps, c, o);
  let start = 0;
  if (marker) {
    const at = listed.findIndex((l) => l.item.id === marker);
    if (at === -1) throw notFound(o.markerMissing?.(marker) ?? `Marker ${marker} could not be found.`);
    start = at + 1;
  }
  start += offset;
  const page = listed.slice(start, start + limit).map((l) => l.item);
  const body: Record<string, unknown> = { [o.key]: o.view ? page.map(o.view) : page };
  if (page.length > 0 && start + limit < listed.length) {
    // The request's own query, `limit` restated as the page size served, `offset` spent.
    const query = new URLSearchParams(q);
    query.delete('offset');
    if (limitGiven) query.set('limit', String(limit));
    body[`${o.key}_links`] = [nextLink(c, page.at(-1)!.id, { publicUrl: deps.publicUrl, query })];
  }
  return c.json(body);
}
