/**
 * Quota limits repository and the usage the gateway can count cheaply: servers from the routing
 * table (active rows) joined with the flavor each one was created with (`server_usage`).
 */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export interface ServerUsage {
  instances: number;
  cores: number;
  ram: number;
}

export class QuotaRepo {
  constructor(private readonly db: Client) {}

  /** Explicit limits of a project (userId '' or absent) or of one user in it. */
  async limits(projectId: string, userId = ''): Promise<Record<string, number>> {
    const r = await this.db.execute({ sql: 'SELECT resource, hard_limit FROM quotas WHERE project_id = ? AND user_id = ?', args: [projectId, userId] });
    return Object.fromEntries(r.rows.map((row) => [String(row.resource), Number(row.hard_limit)]));
  }

  async set(projectId: string, userId: string, values: Record<string, number>): Promise<void> {
    const now = isoNow();
    await this.db.batch(
      Object.entries(values).map(([res, limit]) => ({
        sql: `INSERT INTO quotas (project_id, user_id, resource, hard_limit, updated_at) VALUES (?, ?, ?, ?, ?)
              ON CONFLICT (project_id, user_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit, updated_at = excluded.updated_at`,
        args: [projectId, userId, res, limit, now],
      })),
      'write',
    );
  }

  /** Removes a user's limits, or (userId '') every limit of the project, users included, as Nova does. */
  async clear(projectId: string, userId = ''): Promise<void> {
    if (userId) await this.db.execute({ sql: 'DELETE FROM quotas WHERE project_id = ? AND user_id = ?', args: [projectId, userId] });
    else await this.db.execute({ sql: 'DELETE FROM quotas WHERE project_id = ?', args: [projectId] });
  }

  /** Records what a created server costs (its flavor), for usage counting. */
  async recordServer(u: { topId: string; projectId: string; userId: string; flavorid: string; vcpus: number; memoryMb: number }): Promise<void> {
    await this.db.execute({
      sql: `INSERT OR REPLACE INTO server_usage (top_id, project_id, user_id, flavorid, vcpus, memory_mb, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      args: [u.topId, u.projectId, u.userId, u.flavorid, u.vcpus, u.memoryMb, isoNow()],
    });
  }

  /** What a server costs now (its current flavor), when recorded. */
  async serverCost(topId: string): Promise<{ projectId: string; userId: string; flavorid: string; vcpus: number; memoryMb: number; resizingFrom?: { flavorid: string; vcpus: number; memoryMb: number } } | undefined> {
    const r = await this.db.execute({ sql: 'SELECT * FROM server_usage WHERE top_id = ?', args: [topId] });
    const row = r.rows[0];
    if (!row) return undefined;
    const resizingFrom = row.old_flavorid === null || row.old_flavorid === undefined
      ? undefined
      : { flavorid: String(row.old_flavorid), vcpus: Number(row.old_vcpus), memoryMb: Number(row.old_memory_mb) };
    return { projectId: String(row.project_id), userId: String(row.user_id), flavorid: String(row.flavorid), vcpus: Number(row.vcpus), memoryMb: Number(row.memory_mb), resizingFrom };
  }

  /**
   * A resize the pod accepted: the server costs the new flavor, and the one it had is kept for a
   * revert (a second resize before confirming keeps the first one's origin, as Nova's old_flavor).
   */
  async resizeServer(topId: string, to: { flavorid: string; vcpus: number; memoryMb: number }): Promise<void> {
    await this.db.execute({
      sql: `UPDATE server_usage SET old_flavorid = COALESCE(old_flavorid, flavorid), old_vcpus = COALESCE(old_vcpus, vcpus),
              old_memory_mb = COALESCE(old_memory_mb, memory_mb), flavorid = ?, vcpus = ?, memory_mb = ? WHERE top_id = ?`,
      args: [to.flavorid, to.vcpus, to.memoryMb, topId],
    });
  }

  /** The end of a resize: confirmed keeps the new flavor, reverted goes back to the old one. */
  async endResize(topId: string, outcome: 'confirmed' | 'reverted'): Promise<void> {
    const back = outcome === 'reverted' ? 'flavorid = old_flavorid, vcpus = old_vcpus, memory_mb = old_memory_mb, ' : '';
    await this.db.execute({
      sql: `UPDATE server_usage SET ${back}old_flavorid = NULL, old_vcpus = NULL, old_memory_mb = NULL WHERE top_id = ? AND old_flavorid IS NOT NULL`,
      args: [topId],
    });
  }

  /**
   * Servers of a project (and optionally one user) that have an active routing; cores and RAM
   * only for those whose flavor the gateway recorded (at create, adoption or resize).
   */
  async serverUsage(projectId: string, userId?: string): Promise<ServerUsage> {
    const byUser = userId ? ' AND u.user_id = ?' : '';
    const r = await this.db.execute({
      sql: `SELECT COUNT(*) AS n, COALESCE(SUM(u.vcpus), 0) AS cores, COALESCE(SUM(u.memory_mb), 0) AS ram
            FROM routings r ${userId ? 'JOIN' : 'LEFT JOIN'} server_usage u ON u.top_id = r.top_id
            WHERE r.project_id = ? AND r.resource_type = 'server' AND r.status = 'active'${byUser}`,
      args: userId ? [projectId, userId] : [projectId],
    });
    const row = r.rows[0];
    return { instances: Number(row?.n ?? 0), cores: Number(row?.cores ?? 0), ram: Number(row?.ram ?? 0) };
  }
}
