/**
 * `/attachments[...]` (3.27): attachments have no routing of their own (they belong to the project
 * through their volume), so they cannot use the sort-merging fan-out of src/fanout. The pods
 * holding the project's volumes are asked in parallel WITHOUT paging parameters, and sorting
 * (`sort=k:dir,...` or `sort_key`/`sort_dir`), `marker` and `limit` are applied once to the merged
 * list, so a marker from one pod never reaches another (§15.2.1). `*_links` point at the gateway.
 */
import type { Context } from 'hono';
import { listRouted, type ListRoutedOptions, type Listed } from '../../proxy';
import { badRequest, notFound, publicBase, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';

/** Parameters the gateway answers itself; never sent to a pod. */
const GATEWAY_PARAMS = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir'];

interface SortKey {
  key: string;
  desc: boolean;
}

function sortKeys(q: URLSearchParams): SortKey[] {
  const dirOf = (d: string | undefined): boolean => {
    if (d === undefined || d === '') return true;
    if (d !== 'asc' && d !== 'desc') throw badRequest(`Unknown sort direction, must be 'desc' or 'asc'`);
    return d === 'desc';
  };
  const sort = q.get('sort');
  if (sort !== null) {
    if (q.has('sort_key') || q.has('sort_dir')) throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
    return sort.split(',').map((part) => {
      const [key, dir] = part.trim().split(':');
      return { key: key!, desc: dirOf(dir) };
    });
  }
  const key = q.get('sort_key');
  return key ? [{ key, desc: dirOf(q.get('sort_dir') ?? undefined) }] : [];
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function limitOf(q: URLSearchParams, max: number): number {
  const raw = q.get('limit');
  if (raw === null) return max;
  if (!/^-?\d+$/.test(raw)) throw badRequest('limit param must be an integer');
  const n = Number(raw);
  if (n < 0) throw badRequest('limit param must be positive');
  return Math.min(n, max);
}

export type CollectionOptions = Omit<ListRoutedOptions, 'projectId' | 'search' | 'timeoutMs'>;

export async function listCollection(deps: VolumeDeps, c: Context<GatewayEnv>, o: CollectionOptions): Promise<Response> {
  const url = new URL(c.req.url);
  const q = url.searchParams;
  const keys = sortKeys(q);
  const limit = limitOf(q, deps.maxLimit);
  const podQuery = new URLSearchParams(q);
  for (const p of GATEWAY_PARAMS) podQuery.delete(p);
  const listed: Listed[] = await listRouted(deps, c, {
    ...o,
    projectId: c.get('projectId'),
    search: podQuery.size ? `?${podQuery}` : '',
    timeoutMs: deps.listTimeoutMs,
  });
  // Default order: newest first by the gateway's own creation order (items of a summary list
  // have no timestamps); explicit keys first, that order breaking ties.
  listed.sort((a, b) => {
    for (const k of keys) {
      const d = compareValues(a.item[k.key], b.item[k.key]);
      if (d !== 0) return k.desc ? -d : d;
    }
    return b.seq - a.seq;
  });
  let start = 0;
  const marker = q.get('marker');
  if (marker) {
    const at = listed.findIndex((l) => l.item.id === marker);
    if (at === -1) throw notFound(`Marker ${marker} could not be found.`);
    start = at + 1;
  }
  const page = listed.slice(start, start + limit).map((l) => l.item);
  const body: Record<string, unknown> = { [o.collection]: page };
  if (page.length > 0 && start + limit < listed.length) {
    const next = new URLSearchParams(q);
    next.set('marker', page.at(-1)!.id);
    if (q.has('limit')) next.set('limit', String(limit));
    body[`${o.collection}_links`] = [{ rel: 'next', href: `${publicBase(c, deps.publicUrl)}${url.pathname}?${next}` }];
  }
  return c.json(body);
}
