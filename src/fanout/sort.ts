/**
 * Sort plans and the comparator of the k-way merge.
 *
 * Every pod sorts its own page; the gateway only merges, so the order the gateway compares in
 * must be exactly the order each pod sorted in. Two rules make that so:
 * - the plan always ends with a key that is unique across pods (the resource id), as Nova's
 *   cross-cell lister appends `uuid` (nova/compute/instance_list.py, InstanceSortContext), and
 *   that whole plan is sent to every pod explicitly;
 * - values are read from the body the pod returned (the dialect maps a sort key to its body
 *   field, e.g. Nova's `created_at` is shown as `created`), timestamps compared as instants.
 * NULLs sort first ascending, as MySQL and the simulator do.
 */
import type { SortDir } from '../http';
import type { Item } from './types';

export type { SortDir };

export interface SortKey {
  key: string;
  dir: SortDir;
}

/** A comparable sort value. */
export type SortValue = string | number | boolean | null;

/** How one API spells sorting and where its sort values appear in a body. */
export interface SortDialect {
  /**
   * The caller's sort plan, completed to a total order (defaults and the unique tie-breaker
   * appended). Throws an ApiError (400) for a malformed request.
   */
  plan(params: URLSearchParams): SortKey[];
  /** Query parameters that carry the sort (replaced by the gateway's explicit plan). */
  readonly params: readonly string[];
  /** The plan as query parameters for a pod. */
  toQuery(plan: SortKey[]): [string, string][];
  /** The value of sort key `key` in a detailed item (undefined when the body does not show it). */
  value(item: Item, key: string): SortValue | undefined;
}

/** An ISO-8601 timestamp, with or without zone (naive ones are UTC, as Nova and Cinder print them). */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Timestamps become microseconds since the epoch, so `…:00Z`, `…:00.000000` and `…:00+00:00`
 * compare equal; everything else is compared as given.
 */
export function normalize(v: unknown): SortValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v !== 'string') return JSON.stringify(v);
  const m = ISO_TIME.exec(v);
  if (!m) return v;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`);
  if (Number.isNaN(ms)) return v;
  const micros = Number(((m[4] ?? '') + '000000').slice(0, 6));
  return ms * 1000 + micros;
}

const TYPE_RANK: Record<string, number> = { boolean: 0, number: 1, string: 2 };

/** Ascending comparison of two normalized values; NULL first. */
export function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a !== typeof b) return (TYPE_RANK[typeof a] ?? 3) - (TYPE_RANK[typeof b] ?? 3);
  return a < b ? -1 : 1;
}

/** The sort values of an item under a plan, read once and kept beside the item. */
export function sortValues(dialect: SortDialect, plan: SortKey[], item: Item): SortValue[] {
  return plan.map((k) => normalize(dialect.value(item, k.key)));
}

/** Compares two value vectors under a plan: negative when `a` comes first. */
export function compareBy(plan: SortKey[], a: SortValue[], b: SortValue[]): number {
  for (let i = 0; i < plan.length; i++) {
    const r = compareValues(a[i]!, b[i]!);
    if (r !== 0) return plan[i]!.dir === 'desc' ? -r : r;
  }
  return 0;
}
