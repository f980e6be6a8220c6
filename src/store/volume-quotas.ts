/**
 * Volume quotas kept at the top (Cinder's `os-quota-sets` resources): per project, only the limits
 * an admin set are stored; everything else is the default the API layer knows.
 */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export class VolumeQuotaRepo {
  constructor(private readonly db: Client) {}

  /** The limits set for a project (resource → hard limit); empty when none were set. */
  async get(projectId: string): Promise<Record<string, number>> {
    const r = await this.db.execute({ sql: 'SELECT resource, hard_limit FROM volume_quotas WHERE project_id = ?', args: [projectId] });
    return Object.fromEntries(r.rows.map((row) => [String(row.resource), Number(row.hard_limit)]));
  }

  /** Sets the given limits in one write, leaving the others alone. */
  async set(projectId: string, limits: Record<string, number>): Promise<void> {
    const now = isoNow();
    const stmts = Object.entries(limits).map(([resource, limit]) => ({
      sql: `INSERT INTO volume_quotas (project_id, resource, hard_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit, updated_at = excluded.updated_at`,
      args: [projectId, resource, limit, now, now],
    }));
    if (stmts.length > 0) await this.db.batch(stmts, 'write');
  }

  /** Back to the defaults. */
  async reset(projectId: string): Promise<void> {
    await this.db.execute({ sql: 'DELETE FROM volume_quotas WHERE project_id = ?', args: [projectId] });
  }
}
