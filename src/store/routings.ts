/**
 * Routing table: which pod owns each top-level resource id.
 *
 * A create writes a PENDING row first (no ids yet: the pod assigns them; `hint` keeps what
 * reconciliation needs to find the resource if the answer is lost), then completes it with the
 * pod's id once the pod answered, or removes it when the pod refused. A completed row is ACTIVE;
 * once the pod accepted its DELETE it is DELETING (routed still, counted no more) until a job has
 * proof it is gone. Every change to a completed row is logged in `routing_changes` by triggers
 * (migration 4), which is how each site's route cache learns of changes made elsewhere.
 */
import { randomUUID } from 'node:crypto';
import type { Client, InStatement, Row } from '@libsql/client';
import { isUniqueViolation } from './errors';
import { isoNow } from './time';

export type RoutingStatus = 'pending' | 'active' | 'deleting';

export const ROUTING_STATUSES: readonly RoutingStatus[] = ['pending', 'active', 'deleting'];

/** What a pending row remembers about its create, for reconciliation. */
export interface RoutingHint {
  /** The name the create asked for (servers, volumes, snapshots, backups). */
  name?: string | null;
  /** Nova multi-create: the reservation the pod answered with. */
  reservation_id?: string;
  /** Attachments: the volume they attach. */
  volume_id?: string;
  /** The gateway's request id of the create (sent to the pod as X-OpenStack-Request-ID). */
  request_id?: string;
}

export interface Routing {
  id: number;
  top_id: string;
  bottom_id: string | null;
  pod_id: string;
  project_id: string;
  resource_type: string;
  status: RoutingStatus;
  /** Pending rows: what reconciliation needs to find the resource; null otherwise. */
  hint: RoutingHint | null;
  created_at: string;
  updated_at: string;
}

/** A completed routing another site changed: its cached copy must go. */
export interface RoutingChange {
  seq: number;
  top_id: string;
  resource_type: string;
}

export interface RoutingFilter {
  project_id?: string;
  resource_type?: string;
  pod_id?: string;
  top_id?: string;
  status?: RoutingStatus;
}

const COLUMNS = 'seq, top_id, bottom_id, pod_id, project_id, resource_type, status, hint, created_at, updated_at';
/** Rows a request may be routed by: completed, including those whose deletion is under way. */
const ROUTED = "status IN ('active', 'deleting')";
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
    hint: r.hint == null ? null : (JSON.parse(String(r.hint)) as RoutingHint),
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
  async createPending(projectId: string, podId: string, resourceType: string, hint?: RoutingHint): Promise<Routing> {
    const now = isoNow();
    const r = await this.db.execute({
      sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, hint, created_at, updated_at)
            VALUES (?, NULL, ?, ?, ?, 'pending', ?, ?, ?) RETURNING ${COLUMNS}`,
      args: [PENDING_PREFIX + randomUUID(), podId, projectId, resourceType, hint ? JSON.stringify(hint) : null, now, now],
    });
    return toRouting(r.rows[0]!);
  }

  /**
   * Turns a pending row into an active one for the id the pod assigned. When that id is routed
   * already (reconciliation or adoption got there first) the pending row goes and the existing
   * routing is returned; undefined when the pending row is gone.
   */
  async complete(id: number, topId: string, bottomId: string = topId): Promise<Routing | undefined> {
    try {
      const r = await this.db.execute({
        sql: `UPDATE routings SET top_id = ?, bottom_id = ?, status = 'active', hint = NULL, updated_at = ? WHERE seq = ? AND status = 'pending' RETURNING ${COLUMNS}`,
        args: [topId, bottomId, isoNow(), id],
      });
      return r.rows[0] ? toRouting(r.rows[0]) : undefined;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const pending = await this.get(id);
      await this.delete(id);
      return pending ? this.lookupIn(topId, pending.pod_id) : undefined;
    }
  }

  /** Adds to what a pending row remembers (e.g. the reservation a multi-create answered with). */
  async addHint(id: number, hint: RoutingHint): Promise<void> {
    const row = await this.get(id);
    if (row?.status !== 'pending') return;
    await this.db.execute({ sql: "UPDATE routings SET hint = ? WHERE seq = ? AND status = 'pending'", args: [JSON.stringify({ ...row.hint, ...hint }), id] });
  }

  /**
   * Routes a resource the pod made without a create of ours (a multi-create sibling, a boot
   * volume, a resource found in a pod), unless the id is routed already; returns the routing.
   */
  async adopt(a: { projectId: string; podId: string; resourceType: string; topId: string }): Promise<{ routing: Routing; adopted: boolean }> {
    const now = isoNow();
    const r = await this.db.execute({
      sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at)
            SELECT ?, ?, ?, ?, ?, 'active', ?, ? WHERE NOT EXISTS (SELECT 1 FROM routings WHERE top_id = ? AND resource_type = ? AND ${ROUTED})
            ON CONFLICT (top_id, pod_id) DO NOTHING RETURNING ${COLUMNS}`,
      args: [a.topId, a.topId, a.podId, a.projectId, a.resourceType, now, now, a.topId, a.resourceType],
    });
    if (r.rows[0]) return { routing: toRouting(r.rows[0]), adopted: true };
    const existing = (await this.lookup(a.topId, a.resourceType)) ?? (await this.lookupIn(a.topId, a.podId));
    if (!existing) throw new Error(`routing of ${a.resourceType} ${a.topId} neither adopted nor found`);
    return { routing: existing, adopted: false };
  }

  /** The routing of `topId` in one pod, any status. */
  async lookupIn(topId: string, podId: string): Promise<Routing | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM routings WHERE top_id = ? AND pod_id = ?`, args: [topId, podId] });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** The routing a request follows for a top id (optionally of one resource type): active or deleting. */
  async lookup(topId: string, resourceType?: string): Promise<Routing | undefined> {
    const r = await this.db.execute({
      sql: `SELECT ${COLUMNS} FROM routings WHERE top_id = ? AND ${ROUTED} ${resourceType ? 'AND resource_type = ?' : ''} ORDER BY seq LIMIT 1`,
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

  /** Routing rows per pod, every status counted (what `DELETE /pods/{id}` would refuse on). */
  async countByPod(): Promise<Map<string, number>> {
    const r = await this.db.execute('SELECT pod_id, COUNT(*) AS n FROM routings GROUP BY pod_id');
    return new Map(r.rows.map((row) => [String(row.pod_id), Number(row.n)]));
  }

  /**
   * Pods holding at least one routed (active or deleting) routing of `projectId` of
   * `resourceType`. Asked on every list, so it skips through the routings_project index
   * (project_id, resource_type, pod_id) one pod at a time, each step taking the smallest pod id
   * above the last one found: one seek per pod, where a DISTINCT reads every routing the
   * project has.
   */
  async podIds(projectId: string, resourceType: string): Promise<string[]> {
    const r = await this.db.execute({
      sql: `WITH RECURSIVE held(pod_id) AS (
              SELECT (SELECT MIN(pod_id) FROM routings WHERE project_id = ?1 AND resource_type = ?2 AND ${ROUTED})
              UNION ALL
              SELECT (SELECT MIN(r.pod_id) FROM routings r WHERE r.project_id = ?1 AND r.resource_type = ?2 AND r.pod_id > held.pod_id AND r.${ROUTED})
              FROM held WHERE held.pod_id IS NOT NULL
            )
            SELECT pod_id FROM held WHERE pod_id IS NOT NULL`,
      args: [projectId, resourceType],
    });
    return r.rows.map((row) => String(row.pod_id));
  }

  async delete(id: number): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM routings WHERE seq = ?', args: [id] });
    return r.rowsAffected > 0;
  }

  /** Removes every routing of a top id. Returns how many went. */
  async deleteByTop(topId: string, resourceType?: string): Promise<number> {
    const r = await this.db.execute({
      sql: `DELETE FROM routings WHERE top_id = ? ${resourceType ? 'AND resource_type = ?' : ''}`,
      args: resourceType ? [topId, resourceType] : [topId],
    });
    return r.rowsAffected;
  }

  /**
   * The status change of a completed routing, when it still has `from` (and, for a job acting on
   * what it saw, still the same pod). Returns the changed row; undefined when it had moved on.
   */
  setStatusStatement(id: number, from: RoutingStatus, to: RoutingStatus, podId?: string): InStatement {
    return {
      sql: `UPDATE routings SET status = ?, updated_at = ? WHERE seq = ? AND status = ? ${podId ? 'AND pod_id = ?' : ''} RETURNING ${COLUMNS}`,
      args: podId ? [to, isoNow(), id, from, podId] : [to, isoNow(), id, from],
    };
  }

  async setStatus(id: number, from: RoutingStatus, to: RoutingStatus, podId?: string): Promise<Routing | undefined> {
    const r = await this.db.execute(this.setStatusStatement(id, from, to, podId));
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** Removes a routing if it still has `status` in `podId`: a job's proof applies to what it saw. */
  async deleteIf(id: number, status: RoutingStatus, podId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM routings WHERE seq = ? AND status = ? AND pod_id = ?', args: [id, status, podId] });
    return r.rowsAffected > 0;
  }

  /**
   * Gives a completed routing of `fromProject` in `podId` to `toProject`. `pod_id = pod_id` puts
   * the row in the change log (its trigger fires on an UPDATE OF pod_id), so every site's route
   * cache drops the old owner.
   */
  async reassign(id: number, fromProject: string, toProject: string, podId: string): Promise<Routing | undefined> {
    const r = await this.db.execute({
      sql: `UPDATE routings SET project_id = ?, pod_id = pod_id, updated_at = ? WHERE seq = ? AND project_id = ? AND pod_id = ? AND status <> 'pending' RETURNING ${COLUMNS}`,
      args: [toProject, isoNow(), id, fromProject, podId],
    });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** Moves a completed routing to another pod (an admin repair). */
  async move(id: number, podId: string): Promise<Routing | undefined> {
    const r = await this.db.execute({
      sql: `UPDATE routings SET pod_id = ?, updated_at = ? WHERE seq = ? AND status <> 'pending' RETURNING ${COLUMNS}`,
      args: [podId, isoNow(), id],
    });
    return r.rows[0] ? toRouting(r.rows[0]) : undefined;
  }

  /** Changes to completed routings after `afterSeq`, oldest first, at most `limit`. */
  async changesSince(afterSeq: number, limit: number): Promise<RoutingChange[]> {
    const r = await this.db.execute({
      sql: 'SELECT seq, top_id, resource_type FROM routing_changes WHERE seq > ? ORDER BY seq LIMIT ?',
      args: [afterSeq, limit],
    });
    return r.rows.map((row) => ({ seq: Number(row.seq), top_id: String(row.top_id), resource_type: String(row.resource_type) }));
  }

  /** Whether a completed routing of this id was changed or removed (within the log's retention). */
  async wasRouted(topId: string, resourceType: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'SELECT 1 FROM routing_changes WHERE top_id = ? AND resource_type = ? LIMIT 1', args: [topId, resourceType] });
    return r.rows.length > 0;
  }

  /** The newest change's number (0 when none): where a fresh cache starts reading. */
  async lastChange(): Promise<number> {
    const r = await this.db.execute('SELECT COALESCE(MAX(seq), 0) AS n FROM routing_changes');
    return Number(r.rows[0]?.n ?? 0);
  }

  /** Forgets changes older than `before` (ISO): every site has read them long ago. */
  async pruneChanges(before: string): Promise<number> {
    const r = await this.db.execute({ sql: 'DELETE FROM routing_changes WHERE changed_at < ?', args: [before] });
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
