/** Jobs repository: asynchronous work the gateway owes the pods (flavor/type pushes, reconciliation). */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export type JobStatus = 'new' | 'running' | 'success' | 'fail';

export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  resource_id: string | null;
  payload: unknown;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, type, status, resource_id, payload, attempts, last_error, created_at, updated_at';

function toJob(r: Row): Job {
  return {
    id: String(r.id),
    type: String(r.type),
    status: String(r.status) as JobStatus,
    resource_id: r.resource_id == null ? null : String(r.resource_id),
    payload: r.payload == null ? null : JSON.parse(String(r.payload)),
    attempts: Number(r.attempts),
    last_error: r.last_error == null ? null : String(r.last_error),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

export class JobRepo {
  constructor(private readonly db: Client) {}

  async enqueue(type: string, resourceId: string | null, payload: unknown): Promise<Job> {
    const now = isoNow();
    const id = randomUUID();
    await this.db.execute({
      sql: `INSERT INTO jobs (${COLUMNS}) VALUES (?, ?, 'new', ?, ?, 0, NULL, ?, ?)`,
      args: [id, type, resourceId, payload === undefined ? null : JSON.stringify(payload), now, now],
    });
    return (await this.get(id))!;
  }

  async list(filter: { status?: JobStatus; type?: string } = {}): Promise<Job[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.status) (where.push('status = ?'), args.push(filter.status));
    if (filter.type) (where.push('type = ?'), args.push(filter.type));
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`, args });
    return r.rows.map(toJob);
  }

  async get(id: string): Promise<Job | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM jobs WHERE id = ?`, args: [id] });
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  async setStatus(id: string, status: JobStatus, error?: string): Promise<void> {
    await this.db.execute({
      sql: `UPDATE jobs SET status = ?, attempts = attempts + (CASE WHEN ? = 'running' THEN 1 ELSE 0 END), last_error = ?, updated_at = ? WHERE id = ?`,
      args: [status, status, error ?? null, isoNow(), id],
    });
  }
}
