/**
 * Jobs repository: asynchronous work the gateway owes the pods (catalog pushes, deletion
 * tracking, reconciliation, adoption), run by the job runners of every site (src/jobs).
 *
 * Coordination is in the writes, all decided on the primary: a runner owns a job only after the
 * conditional claim below came back with the row (one write: status, owner, lease expiry and the
 * attempt number together), and every later write of that attempt is conditional on the same
 * owner and attempt, so a runner whose lease expired and was taken over cannot record anything.
 * Times that decide ownership (`next_run_at`, `lease_expires_at`, epoch ms) are computed by the
 * primary's clock in SQL, never by a site's.
 *
 * Through an embedded replica `rowsAffected` of a delegated `UPDATE … RETURNING` reads 0: the
 * conditional writes here decide by the rows they return.
 */
import { randomUUID } from 'node:crypto';
import type { Client, InStatement, Row } from '@libsql/client';
import { NOW_MS_SQL } from './migration-004';
import { isoNow } from './time';

/** new: waiting (first run or a retry after backoff); running: leased; success and fail: finished. */
export type JobStatus = 'new' | 'running' | 'success' | 'fail';

export const JOB_STATUSES: readonly JobStatus[] = ['new', 'running', 'success', 'fail'];

export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  resource_id: string | null;
  payload: unknown;
  /** Attempts started so far. */
  attempts: number;
  /** Attempts allowed before the job fails; null: the runner's default for the type. */
  max_attempts: number | null;
  last_error: string | null;
  /** When the job may run next (ISO); a waiting retry shows its backoff here. */
  next_run_at: string;
  /** The runner holding the lease while `running`. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  dedup_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One attempt of a job, kept as its history. */
export interface JobAttempt {
  attempt: number;
  owner: string;
  started_at: string;
  finished_at: string | null;
  /** success, retry, fail, lost (the lease was lost before the result was written). */
  outcome: string | null;
  detail: string | null;
}

export interface EnqueueOptions {
  /** One waiting job per key: a second enqueue refreshes the waiting one instead of adding one. */
  dedupKey?: string;
  /** Run no sooner than this. @default 0 */
  delayMs?: number;
  maxAttempts?: number;
}

export interface JobFilter {
  status?: JobStatus;
  type?: string;
  resource_id?: string;
}

/** The outcome a runner records for a finished attempt. */
export type JobResult =
  | { outcome: 'success'; detail?: string }
  | { outcome: 'retry'; error: string; delayMs: number }
  | { outcome: 'fail'; error: string };

const COLUMNS =
  'seq, id, type, status, resource_id, payload, attempts, max_attempts, last_error, next_run_at, lease_owner, lease_expires_at, dedup_key, created_at, updated_at, finished_at';

const msToIso = (v: unknown): string | null => (v == null ? null : isoNow(new Date(Number(v))));

function parsePayload(raw: unknown): unknown {
  if (raw == null) return null;
  try {
    return JSON.parse(String(raw));
  } catch {
    return String(raw);
  }
}

function toJob(r: Row): Job {
  return {
    id: String(r.id),
    type: String(r.type),
    status: String(r.status) as JobStatus,
    resource_id: r.resource_id == null ? null : String(r.resource_id),
    payload: parsePayload(r.payload),
    attempts: Number(r.attempts),
    max_attempts: r.max_attempts == null ? null : Number(r.max_attempts),
    last_error: r.last_error == null ? null : String(r.last_error),
    next_run_at: msToIso(r.next_run_at) ?? '',
    lease_owner: r.lease_owner == null ? null : String(r.lease_owner),
    lease_expires_at: r.status === 'running' ? msToIso(r.lease_expires_at) : null,
    dedup_key: r.dedup_key == null ? null : String(r.dedup_key),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
    finished_at: r.finished_at == null ? null : String(r.finished_at),
  };
}

/** A claimed job: the row as the primary wrote it, plus the token later writes must present. */
export interface Lease {
  job: Job;
  owner: string;
  attempt: number;
}

export class JobRepo {
  constructor(private readonly db: Client) {}

  /**
   * The insert of a job, for callers that write it in one batch with their own change (a routing
   * marked deleting and the job that tracks it go together or not at all).
   */
  enqueueStatement(type: string, resourceId: string | null, payload: unknown, o: EnqueueOptions = {}): InStatement {
    const now = isoNow();
    return {
      sql: `INSERT INTO jobs (id, type, status, resource_id, payload, attempts, max_attempts, created_at, updated_at, next_run_at, dedup_key)
            VALUES (?, ?, 'new', ?, ?, 0, ?, ?, ?, ${NOW_MS_SQL} + ?, ?)
            ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL AND status = 'new'
            DO UPDATE SET payload = excluded.payload, attempts = 0, last_error = NULL, updated_at = excluded.updated_at,
                          next_run_at = MIN(jobs.next_run_at, excluded.next_run_at), max_attempts = excluded.max_attempts
            RETURNING ${COLUMNS}`,
      args: [randomUUID(), type, resourceId, payload === undefined ? null : JSON.stringify(payload), o.maxAttempts ?? null, now, now, Math.max(0, Math.round(o.delayMs ?? 0)), o.dedupKey ?? null],
    };
  }

  /** Adds a job (or refreshes the waiting one with the same dedup key). */
  async enqueue(type: string, resourceId: string | null, payload: unknown, o: EnqueueOptions = {}): Promise<Job> {
    const r = await this.db.execute(this.enqueueStatement(type, resourceId, payload, o));
    return toJob(r.rows[0]!);
  }

  /**
   * Ids of jobs of `types` that may run now: waiting and due, or running with an expired lease.
   * Read locally (a replica may be a sync behind: the claim decides).
   */
  async due(limit: number, types: readonly string[]): Promise<string[]> {
    if (types.length === 0) return [];
    const r = await this.db.execute({
      sql: `SELECT id FROM jobs WHERE type IN (${types.map(() => '?').join(', ')})
              AND ((status = 'new' AND next_run_at <= ${NOW_MS_SQL}) OR (status = 'running' AND lease_expires_at < ${NOW_MS_SQL}))
            ORDER BY next_run_at, seq LIMIT ?`,
      args: [...types, limit],
    });
    return r.rows.map((row) => String(row.id));
  }

  /**
   * The lease: ONE conditional write on the primary. It succeeds only if the job is due and
   * nobody holds a live lease on it, and returns the row; undefined means someone else has it.
   */
  async claim(id: string, owner: string, leaseMs: number): Promise<Lease | undefined> {
    const r = await this.db.execute({
      sql: `UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ${NOW_MS_SQL} + ?, attempts = attempts + 1, updated_at = ?
            WHERE id = ? AND ((status = 'new' AND next_run_at <= ${NOW_MS_SQL}) OR (status = 'running' AND lease_expires_at < ${NOW_MS_SQL}))
            RETURNING ${COLUMNS}`,
      args: [owner, leaseMs, isoNow(), id],
    });
    if (!r.rows[0]) return undefined;
    const job = toJob(r.rows[0]);
    return { job, owner, attempt: job.attempts };
  }

  /** Records the start of an attempt in the job's history. */
  async recordStart(lease: Lease): Promise<void> {
    await this.db.execute({
      sql: 'INSERT INTO job_attempts (job_id, attempt, owner, started_at) VALUES (?, ?, ?, ?)',
      args: [lease.job.id, lease.attempt, lease.owner, isoNow()],
    });
  }

  /** Extends a lease still held; false when it was lost (expired and taken, or the job was changed). */
  async renew(lease: Lease, leaseMs: number): Promise<boolean> {
    const r = await this.db.execute({
      sql: `UPDATE jobs SET lease_expires_at = ${NOW_MS_SQL} + ? WHERE id = ? AND status = 'running' AND lease_owner = ? AND attempts = ? RETURNING id`,
      args: [leaseMs, lease.job.id, lease.owner, lease.attempt],
    });
    return r.rows.length > 0;
  }

  /**
   * Writes the result of an attempt if the lease is still held, and closes the attempt in the
   * history. Returns what was recorded: the result's outcome; `superseded` when a retry meets a
   * newer job of the same work already waiting (that one runs instead, reading the latest state:
   * this one is finished as a success, the reason kept); `lost` when the lease was no longer held
   * (the result is dropped: the job belongs to whoever took it over).
   */
  async finish(lease: Lease, result: JobResult): Promise<JobResult['outcome'] | 'superseded' | 'lost'> {
    const now = isoNow();
    const { id } = lease.job;
    const status = result.outcome === 'retry' ? 'new' : result.outcome;
    const error = result.outcome === 'success' ? null : result.error;
    const delay = result.outcome === 'retry' ? Math.max(0, Math.round(result.delayMs)) : 0;
    const superseded = "(? = 'new' AND dedup_key IS NOT NULL AND EXISTS (SELECT 1 FROM jobs w WHERE w.dedup_key = jobs.dedup_key AND w.status = 'new' AND w.id <> jobs.id))";
    const r = await this.db.execute({
      sql: `UPDATE jobs SET status = CASE WHEN ${superseded} THEN 'success' ELSE ? END,
                   finished_at = CASE WHEN ${superseded} OR ? <> 'new' THEN ? ELSE NULL END,
                   last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, next_run_at = ${NOW_MS_SQL} + ?
            WHERE id = ? AND status = 'running' AND lease_owner = ? AND attempts = ? RETURNING status`,
      args: [status, status, status, status, now, error, now, delay, id, lease.owner, lease.attempt],
    });
    const written = r.rows[0] ? String(r.rows[0].status) : undefined;
    const recorded = written === undefined ? 'lost' : status === 'new' && written === 'success' ? 'superseded' : result.outcome;
    const detail = result.outcome === 'success' ? (result.detail ?? null) : result.error;
    await this.db.execute({
      sql: 'UPDATE job_attempts SET finished_at = ?, outcome = ?, detail = ? WHERE job_id = ? AND attempt = ? AND owner = ? AND finished_at IS NULL',
      args: [now, recorded, detail, id, lease.attempt, lease.owner],
    });
    return recorded;
  }

  /** Jobs in creation order after `marker` (a job id), at most `limit`. */
  async list(filter: JobFilter = {}, page: { limit?: number; marker?: string } = {}): Promise<Job[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    for (const k of ['status', 'type', 'resource_id'] as const) {
      const v = filter[k];
      if (v !== undefined) (where.push(`${k} = ?`), args.push(v));
    }
    if (page.marker !== undefined) (where.push('seq > (SELECT seq FROM jobs WHERE id = ?)'), args.push(page.marker));
    let sql = `SELECT ${COLUMNS} FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`;
    if (page.limit !== undefined) (sql += ' LIMIT ?', args.push(page.limit));
    const r = await this.db.execute({ sql, args });
    return r.rows.map(toJob);
  }

  async get(id: string): Promise<Job | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM jobs WHERE id = ?`, args: [id] });
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /** The job's attempts, oldest first. */
  async history(id: string): Promise<JobAttempt[]> {
    const r = await this.db.execute({
      sql: 'SELECT attempt, owner, started_at, finished_at, outcome, detail FROM job_attempts WHERE job_id = ? ORDER BY seq',
      args: [id],
    });
    return r.rows.map((row) => ({
      attempt: Number(row.attempt),
      owner: String(row.owner),
      started_at: String(row.started_at),
      finished_at: row.finished_at == null ? null : String(row.finished_at),
      outcome: row.outcome == null ? null : String(row.outcome),
      detail: row.detail == null ? null : String(row.detail),
    }));
  }

  /**
   * A finished job runs again: waiting, due now, attempts counted afresh (its history stays).
   * Returns undefined when the job does not exist or is not finished.
   */
  async retry(id: string): Promise<Job | undefined> {
    const r = await this.db.execute({
      sql: `UPDATE jobs SET status = 'new', attempts = 0, last_error = NULL, finished_at = NULL, updated_at = ?, next_run_at = ${NOW_MS_SQL}
            WHERE id = ? AND status IN ('success', 'fail')
              AND NOT EXISTS (SELECT 1 FROM jobs w WHERE w.dedup_key = jobs.dedup_key AND w.status = 'new')
            RETURNING ${COLUMNS}`,
      args: [isoNow(), id],
    });
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /** Removes a finished job and its history; false when it is waiting or running. */
  async deleteFinished(id: string): Promise<boolean> {
    const [r] = await this.db.batch(
      [
        { sql: "DELETE FROM jobs WHERE id = ? AND status IN ('success', 'fail')", args: [id] },
        { sql: "DELETE FROM job_attempts WHERE job_id = ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE id = ?)", args: [id, id] },
      ],
      'write',
    );
    return (r?.rowsAffected ?? 0) > 0;
  }

  /** Whether any job (any status) carries this key: a reconciliation is attempted once per row. */
  async hasKey(dedupKey: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'SELECT 1 FROM jobs WHERE dedup_key = ? LIMIT 1', args: [dedupKey] });
    return r.rows.length > 0;
  }

  /** The waiting or running job with this key, if any. */
  async openByKey(dedupKey: string): Promise<Job | undefined> {
    const r = await this.db.execute({
      sql: `SELECT ${COLUMNS} FROM jobs WHERE dedup_key = ? AND status IN ('new', 'running') ORDER BY seq DESC LIMIT 1`,
      args: [dedupKey],
    });
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /** Counts by type and status, for /metrics. */
  async counts(): Promise<{ type: string; status: JobStatus; n: number }[]> {
    const r = await this.db.execute('SELECT type, status, COUNT(*) AS n FROM jobs GROUP BY type, status');
    return r.rows.map((row) => ({ type: String(row.type), status: String(row.status) as JobStatus, n: Number(row.n) }));
  }

  /** Removes finished jobs (and their history) finished before `before` (ISO). */
  async pruneFinished(before: string): Promise<number> {
    const [, r] = await this.db.batch(
      [
        { sql: "DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM jobs WHERE status IN ('success', 'fail') AND finished_at < ?)", args: [before] },
        { sql: "DELETE FROM jobs WHERE status IN ('success', 'fail') AND finished_at < ?", args: [before] },
      ],
      'write',
    );
    return r?.rowsAffected ?? 0;
  }
}
