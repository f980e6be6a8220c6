/**
 * Store errors. Every libSQL failure is classified here once, by SQLite's extended result code
 * (https://www.sqlite.org/rescode.html) and, for a replica's write delegation which reports only
 * text, by that text — so no caller ever reads an error message: they switch on `code`.
 */
export type StoreErrorCode =
  /** A UNIQUE or PRIMARY KEY constraint: the row exists already. */
  | 'TRIO2O_STORE_CONFLICT'
  /** A FOREIGN KEY constraint: the row is referenced, or references nothing. */
  | 'TRIO2O_STORE_REFERENCED'
  /** The detached replica's read-only fallback refused a write. */
  | 'TRIO2O_STORE_READONLY'
  /** The write could not reach the primary (replica without its primary). */
  | 'TRIO2O_STORE_UNAVAILABLE'
  /** Anything else: a defect, not an outage. */
  | 'TRIO2O_STORE_FAILED';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** For a conflict: the columns of the violated constraint, `table.column`, when SQLite named them. */
  readonly columns: readonly string[];
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; columns?: readonly string[] }) {
    super(message, options);
    this.code = code;
    this.columns = options?.columns ?? [];
  }
}

/** SQLite names the columns of a violated UNIQUE constraint: `UNIQUE constraint failed: t.a, t.b`. */
const UNIQUE_COLUMNS = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/;

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;

interface LibsqlLikeError {
  code?: string;
  rawCode?: number;
  message?: string;
}

/**
 * Write delegation of an embedded replica fails with a plain Error whose text names
 * WriteDelegation / Replication / the handshake or the socket; the read-only fallback file
 * answers SQLITE_READONLY.
 */
const UNREACHABLE_TEXT = /WriteDelegation|Replication|PrimaryHandshake|connection refused|tcp connect error/i;
const READONLY_TEXT = /SQLITE_READONLY|readonly database/i;

/** The one classification of a libSQL failure; a StoreError is returned as it is. */
export function classifyStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const e = (err ?? {}) as LibsqlLikeError;
  const text = e.message ?? String(err);
  const code: StoreErrorCode =
    e.rawCode === SQLITE_CONSTRAINT_UNIQUE || e.rawCode === SQLITE_CONSTRAINT_PRIMARYKEY || /UNIQUE constraint failed/.test(text)
      ? 'TRIO2O_STORE_CONFLICT'
      : e.rawCode === SQLITE_CONSTRAINT_FOREIGNKEY || /FOREIGN KEY constraint failed/.test(text)
        ? 'TRIO2O_STORE_REFERENCED'
        : e.code === 'SQLITE_READONLY' || READONLY_TEXT.test(text)
          ? 'TRIO2O_STORE_READONLY'
          : UNREACHABLE_TEXT.test(text)
            ? 'TRIO2O_STORE_UNAVAILABLE'
            : 'TRIO2O_STORE_FAILED';
  const columns = code === 'TRIO2O_STORE_CONFLICT' ? (UNIQUE_COLUMNS.exec(text)?.[1]?.split(', ') ?? []) : [];
  return new StoreError(code, text, { cause: err, columns });
}

const codeOf = (err: unknown): StoreErrorCode | undefined => (err instanceof StoreError ? err.code : undefined);

/**
 * True for UNIQUE / PRIMARY KEY violations; with `column` (`table.column`), only when that
 * column is part of the violated constraint.
 */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  return codeOf(err) === 'TRIO2O_STORE_CONFLICT' && (column === undefined || (err as StoreError).columns.includes(column));
}

export function isForeignKeyViolation(err: unknown): boolean {
  return codeOf(err) === 'TRIO2O_STORE_REFERENCED';
}

/**
 * A write that could not reach the store: a replica whose primary is away, or its read-only
 * fallback. Callers answer 503 before touching any pod.
 */
export function isUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'TRIO2O_STORE_UNAVAILABLE' || code === 'TRIO2O_STORE_READONLY';
}
