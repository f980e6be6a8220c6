/**
 * One generic paginated SELECT for the catalogs the gateway owns (flavors, keypairs, volume types,
 * ...): filters, a whitelisted sort key, a marker, a limit — Nova's `paginate_query` semantics.
 *
 * Rows are ordered by (sort key, tie-breaker) in one direction, as Nova sorts by
 * `[sort_key, 'id']`; a marker names a row by its public key and the page starts right after it.
 * NULL sort values come first ascending and last descending (SQLite's order), and the marker
 * comparison follows the same rule so no row is skipped or repeated.
 */
import type { Client, InValue, Row } from '@libsql/client';

export class MarkerNotFoundError extends Error {
  readonly code = 'TRIO2O_STORE_MARKER_NOT_FOUND';
  constructor(readonly marker: string) {
    super(`marker [${marker}] not found`);
    this.name = 'MarkerNotFoundError';
  }
}

export interface PageQuery {
  /** Table (or join) to select from; trusted SQL. */
  from: string;
  /** Columns to select; trusted SQL. */
  columns: string;
  /** Filter clauses joined with AND; use `?` placeholders. */
  where?: string[];
  args?: InValue[];
  /** Column to sort by; must come from the caller's whitelist, never from the request verbatim. */
  sortKey: string;
  sortDir: 'asc' | 'desc';
  /** Unique column that breaks ties, e.g. `seq`. */
  tiebreak: string;
  /**
   * The public key column markers use (e.g. `flavorid`), the marker value, and an optional scope
   * the marker must be found in (e.g. the user's own keypairs).
   */
  marker?: { column: string; value: string; scope?: { where: string; args: InValue[] } };
  /** Rows to return at most; undefined means all. */
  limit?: number;
}

/** Rows of one page; throws MarkerNotFoundError when the marker names no row. */
export async function selectPage(db: Client, q: PageQuery): Promise<Row[]> {
  const where = [...(q.where ?? [])];
  const args: InValue[] = [...(q.args ?? [])];
  const desc = q.sortDir === 'desc';
  const dir = desc ? 'DESC' : 'ASC';
  if (q.marker) {
    const m = await db.execute({
      sql: `SELECT ${q.sortKey} AS k, ${q.tiebreak} AS t FROM ${q.from} WHERE ${q.marker.column} = ?${q.marker.scope ? ` AND (${q.marker.scope.where})` : ''} LIMIT 1`,
      args: [q.marker.value, ...(q.marker.scope?.args ?? [])],
    });
    const row = m.rows[0];
    if (!row) throw new MarkerNotFoundError(q.marker.value);
    where.push(afterMarker(q.sortKey, q.tiebreak, desc, row.k === null));
    if (row.k === null) args.push(row.t);
    else args.push(row.k, row.k, row.t);
  }
  const sql =
    `SELECT ${q.columns} FROM ${q.from}` +
    (where.length ? ` WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : '') +
    ` ORDER BY ${q.sortKey} ${dir}, ${q.tiebreak} ${dir}` +
    (q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '');
  return (await db.execute({ sql, args })).rows;
}

/** The clause "comes after the marker row" in the page order, NULLs included. */
function afterMarker(key: string, tie: string, desc: boolean, markerIsNull: boolean): string {
  const cmp = desc ? '<' : '>';
  if (markerIsNull) {
    // ASC: NULLs first, so after a NULL marker come later NULLs and every non-NULL.
    // DESC: NULLs last, so only later NULLs follow.
    return desc ? `${key} IS NULL AND ${tie} < ?` : `${key} IS NOT NULL OR ${tie} > ?`;
  }
  const tail = desc ? ` OR ${key} IS NULL` : '';
  return `${key} ${cmp} ? OR (${key} = ? AND ${tie} ${cmp} ?)${tail}`;
}
