/**
 * Routing table: which pod owns each top-level resource id.
 *
 * A create writes a PENDING row first (no ids yet: the pod assigns them), then completes it with
 * the pod's id once the pod answered, or removes it when the pod failed. Completed rows never
 * change, which is what lets callers cache them.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export type RoutingStatus = 'pending' | 'active';

export interface Routing {
  id: number;
  top_id: string;
  bottom_id: string | null;
  pod_id: string;
  project_id: string;
  resource_type: string;
  status: RoutingStatus;
  created_at: string;
  updated_at: string;
}

export interface RoutingFilter {
  project_id?: string;
  resource_type?: string;
  pod_id?: string;
  top_id?: string;
  status?: RoutingStatus;
}

const COLUMNS = 'seq, top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at';
/** Prefix of the placeholder top_id a pending row carries until the pod names the resource. */
export const PENDING_PREFIX = 'pending:';

function toRouting(r: Row): Routing {
  return {
    id: Number(r.seq),
    top_id: String(r.top_id),
    bottom_id: r.bottom_id == null ? null : String(r.bottom_id),
    pod_id: String(r.pod_id),
    project_id: String(r.project_id),
    resource_type: String(r.resource_type),
    status: String(r.status) as RoutingStatus,
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

function whereOf(f: RoutingFilter): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  for (const k of ['project_id', 'resource_type', 'pod_id', 'top_id', 'status'] as const) {
    const v = f[k];
    if (v !== undefined) (parts.push(`${k} = ?`), args.push(v));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', args };
}

export class RoutingRepo {
  constructor(private readonly db: Client) {}

  /** Writes the pending row of a create about to be sent to `podId`. */
  async createPending(projectId: string, podId: string, resourceType: string, topId?: string): Promise<Routing> {
    const now = isoNow();
    const placeholder = topId ?? PENDING_PREFIX + randomUUID();
    const r = await this.db.execute({
      sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at)
            VALUES (?, NULL, ?, ?, ?, 'pending', ?, ?) RETURNING ${COLUMNS}`,
      args: [placeholder, podId, projectId, resourceType, now, now],
    });
    return toRouting(r.rows[0]!);
  }

  /** Turns a pending row into an active one for the id the pod assigned. */
  async complete(id: number, topId: string, bottomId: string = topId): Promise<Routing | undefined> {
    const r = await this.db.execute({
      sql: `UPDATE routings SET top_id = ?, bottom_id = ?, status = 'active', updated_at = ? WHERE seq = ? RETURNING ${COLUMNS}`,
      args: [topId, bottomId, isoNow(), id],
    });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** The active routing of a top id (optionally of one resource type). */
  async lookup(topId: string, resourceType?: string): Promise<Routing | undefined> {
    const r = await this.db.execute({
      sql: `SELECT ${COLUMNS} FROM routings WHERE top_id = ? AND status = 'active' ${resourceType ? 'AND resource_type = ?' : ''} ORDER BY seq LIMIT 1`,
      args: resourceType ? [topId, resourceType] : [topId],
    });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  async get(id: number): Promise<Routing | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM routings WHERE seq = ?`, args: [id] });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** Rows in creation order, after `marker` (a routing id), at most `limit`. */
  async list(filter: RoutingFilter = {}, page: { limit?: number; marker?: number } = {}): Promise<Routing[]> {
    const w = whereOf(filter);
    const args: (string | number)[] = [...w.args];
    let sql = `SELECT ${COLUMNS} FROM routings WHERE ${w.sql}`;
    if (page.marker !== undefined) (sql += ' AND seq > ?', args.push(page.marker));
    sql += ' ORDER BY seq';
    if (page.limit !== undefined) (sql += ' LIMIT ?', args.push(page.limit));
    const r = await this.db.execute({ sql, args });
    return r.rows.map(toRouting);
  }

  /**
   * Pods holding at least one active routing of `projectId` of `resourceType`: one indexed
   * DISTINCT query (the routings_project index covers it) instead of reading every row.
   */
  async podIds(projectId: string, resourceType: string): Promise<string[]> {
    const r = await this.db.execute({
      sql: "SELECT DISTINCT pod_id FROM routings WHERE project_id = ? AND resource_type = ? AND status = 'active'",
      args: [projectId, resourceType],
    });
    return r.rows.map((row) => String(row.pod_id));
  }

  async delete(id: number): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM routings WHERE seq = ?', args: [id] });
    return r.rowsAffected > 0;
  }

  /** Removes every routing of a top id (stale after the pod said 404). Returns how many went. */
  async deleteByTop(topId: string, resourceType?: string): Promise<number> {
    const r = await this.db.execute({
      sql: `DELETE FROM routings WHERE top_id = ? ${resourceType ? 'AND resource_type = ?' : ''}`,
      args: resourceType ? [topId, resourceType] : [topId],
    });
    return r.rowsAffected;
  }

  /** Pending rows older than `olderThan` (ISO time): creates that never finished. */
  async stalePending(olderThan: string): Promise<Routing[]> {
    const r = await this.db.execute({
      sql: `SELECT ${COLUMNS} FROM routings WHERE status = 'pending' AND created_at < ? ORDER BY seq`,
      args: [olderThan],
    });
    return r.rows.map(toRouting);
  }
}
