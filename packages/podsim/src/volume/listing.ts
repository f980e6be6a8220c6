// List mechanics shared by volumes, snapshots and backups, after
// cinder.api.common (get_pagination_params, get_sort_params,
// _get_collection_links) and cinder.db.api.process_sort_params:
// default order created_at desc then id desc; an unknown marker is whatever
// the resource's get() raises (404 for volumes); a 'next' link whenever the
// page is full (limit <= items returned), even if it is the last page.
import { badRequest, invalidInput } from './faults';
import type { Ctx, Link } from './context';
import { nextLink } from './context';

/** Cinder's default osapi_max_limit. */
export const MAX_LIMIT = 1000;
const DEFAULT_SORT_KEYS = ['created_at', 'id'];

export interface ListQuery {
  marker?: string;
  limit: number;
  offset: number;
  sortKeys: string[];
  sortDirs: ('asc' | 'desc')[];
  /** Everything that is not paging or sorting: the filters. */
  filters: Map<string, string>;
}

const PAGING_KEYS = new Set(['marker', 'limit', 'offset', 'sort', 'sort_key', 'sort_dir']);

export function parseListQuery(params: URLSearchParams): ListQuery {
  const limitText = params.get('limit');
  let limit = MAX_LIMIT;
  if (limitText !== null) {
    if (!/^\s*[+-]?\d+\s*$/.test(limitText)) throw badRequest('limit param must be an integer');
    limit = Number(limitText);
    if (limit < 0) throw badRequest('limit param must be positive');
    limit = Math.min(limit, MAX_LIMIT);
  }
  const offsetText = params.get('offset');
  let offset = 0;
  if (offsetText !== null) {
    if (!/^\d+$/.test(offsetText)) throw invalidInput(`offset must be an integer and >= 0`);
    offset = Number(offsetText);
  }
  const { keys, dirs } = sortParams(params);
  const filters = new Map<string, string>();
  for (const [k, v] of params) if (!PAGING_KEYS.has(k)) filters.set(k, v);
  return { marker: params.get('marker') ?? undefined, limit, offset, sortKeys: keys, sortDirs: dirs, filters };
}

function sortParams(params: URLSearchParams): { keys: string[]; dirs: ('asc' | 'desc')[] } {
  const rawKeys: string[] = [];
  const rawDirs: string[] = [];
  if (params.has('sort') && (params.has('sort_key') || params.has('sort_dir'))) {
    throw badRequest(
      "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.",
    );
  }
  if (params.has('sort')) {
    for (const part of params.get('sort')!.trim().split(',')) {
      const [key, dir] = part.split(':', 2);
      rawKeys.push(key.trim());
      rawDirs.push((dir ?? 'desc').trim() || 'desc');
    }
  } else {
    rawKeys.push((params.get('sort_key') ?? 'created_at').trim());
    rawDirs.push((params.get('sort_dir') ?? 'desc').trim());
  }
  for (const d of rawDirs) {
    if (d !== 'asc' && d !== 'desc') throw invalidInput("Unknown sort direction, must be 'desc' or 'asc'.");
  }
  const dirs = rawDirs as ('asc' | 'desc')[];
  const keys = [...rawKeys];
  // process_sort_params: the defaults join with the first given direction.
  for (const k of DEFAULT_SORT_KEYS) {
    if (!keys.includes(k)) {
      keys.push(k);
      dirs.push(dirs[0]);
    }
  }
  return { keys, dirs };
}

type Getter<T> = (item: T, key: string) => unknown;

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // SQL orders NULL first ascending (MySQL/SQLite).
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Sort, skip past the marker, apply offset and limit.
 * @param sortable the keys this resource allows (others answer 400)
 * @param markerMissing the error to raise when the marker is not in `items`
 */
export function page<T extends { id: string }>(
  items: T[],
  q: ListQuery,
  sortable: Set<string>,
  get: Getter<T>,
  markerMissing: (id: string) => Error,
): T[] {
  for (const k of q.sortKeys) if (!sortable.has(k)) throw invalidInput(`Invalid sort key ${k}`);
  const sorted = [...items].sort((x, y) => {
    for (let i = 0; i < q.sortKeys.length; i++) {
      const r = cmp(get(x, q.sortKeys[i]), get(y, q.sortKeys[i]));
      if (r !== 0) return q.sortDirs[i] === 'desc' ? -r : r;
    }
    return 0;
  });
  let start = 0;
  if (q.marker !== undefined) {
    const at = sorted.findIndex((v) => v.id === q.marker);
    if (at < 0) throw markerMissing(q.marker);
    start = at + 1;
  }
  start += q.offset;
  return sorted.slice(start, start + q.limit);
}

/** `{name}_links` for a page: a next link when the page is full, else nothing. */
export function collectionLinks(c: Ctx, path: string, items: { id: string }[], q: ListQuery): Link[] {
  if (items.length > 0 && q.limit <= items.length) return [nextLink(c, path, items[items.length - 1].id)];
  return [];
}

/** Cinder's metadata filter value is a Python dict literal ("{'k': 'v'}") or JSON. */
export function parseMetadataFilter(text: string): Record<string, string> {
  const attempts = [text, text.replace(/'/g, '"')];
  for (const t of attempts) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
      }
    } catch {
      // try the next spelling
    }
  }
  throw invalidInput(`Invalid filter value for metadata: ${text}`);
}

export function matchesMetadata(have: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v);
}
