/**
 * Store errors. SQLite constraint failures are classified here once, by extended result code, so
 * repositories can turn them into domain answers (409) without parsing messages everywhere.
 */
export type StoreErrorCode = 'TRIO2O_STORE_CONFLICT' | 'TRIO2O_STORE_READONLY' | 'TRIO2O_STORE_UNAVAILABLE';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;

interface LibsqlLikeError {
  code?: string;
  rawCode?: number;
  message?: string;
}

/** True for UNIQUE / PRIMARY KEY violations. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as LibsqlLikeError;
  return e?.rawCode === SQLITE_CONSTRAINT_UNIQUE || e?.rawCode === SQLITE_CONSTRAINT_PRIMARYKEY || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as LibsqlLikeError;
  return e?.rawCode === SQLITE_CONSTRAINT_FOREIGNKEY || /FOREIGN KEY constraint failed/.test(e?.message ?? '');
}

/**
 * A write that could not reach the store: a replica whose primary is away (write delegation
 * fails with a plain Error whose text names WriteDelegation / Replication), or a read-only
 * fallback file. Callers answer 503 before touching any pod.
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreError) return err.code !== 'TRIO2O_STORE_CONFLICT';
  const e = err as LibsqlLikeError;
  const m = e?.message ?? '';
  return /WriteDelegation|Replication|PrimaryHandshake|SQLITE_READONLY|readonly database|connection refused|tcp connect error/i.test(m) || e?.code === 'SQLITE_READONLY';
}
