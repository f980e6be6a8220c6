/**
 * What the volume resources the gateway routes cost against Cinder's quotas: the size of each
 * volume, snapshot and backup (and the volume type of the first two), recorded when the gateway
 * created or adopted it. Counted joined with the active routings, as server usage is, so a
 * resource whose deletion a pod accepted stops counting at once.
 */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export type VolumeResourceType = 'volume' | 'snapshot' | 'backup';

/** Count and gigabytes per resource type, and per volume type name for volumes and snapshots. */
export interface VolumeUsage {
  count: Record<VolumeResourceType, number>;
  gigabytes: Record<VolumeResourceType, number>;
  /** type name → { volumes, snapshots, gigabytes (volumes and snapshots) } */
  byType: Record<string, { volumes: number; snapshots: number; gigabytes: number }>;
}

export interface VolumeCost {
  topId: string;
  type: VolumeResourceType;
  projectId: string;
  sizeGb: number;
  volumeType?: string | null;
}

export class VolumeUsageRepo {
  constructor(private readonly db: Client) {}

  /** Records (or replaces) what one resource costs. */
  async record(u: VolumeCost): Promise<void> {
    const now = isoNow();
    await this.db.execute({
      sql: `INSERT INTO volume_usage (top_id, resource_type, project_id, size_gb, volume_type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (top_id, resource_type) DO UPDATE SET size_gb = excluded.size_gb, volume_type = excluded.volume_type, updated_at = excluded.updated_at`,
      args: [u.topId, u.type, u.projectId, u.sizeGb, u.volumeType ?? null, now, now],
    });
  }

  /** The recorded cost of one resource. */
  async get(topId: string, type: VolumeResourceType): Promise<VolumeCost | undefined> {
    const r = await this.db.execute({ sql: 'SELECT * FROM volume_usage WHERE top_id = ? AND resource_type = ?', args: [topId, type] });
    const row = r.rows[0];
    if (!row) return undefined;
    return { topId, type, projectId: String(row.project_id), sizeGb: Number(row.size_gb), volumeType: row.volume_type === null ? null : String(row.volume_type) };
  }

  /** A new size (extend) or type (retype) for a recorded resource; nothing when none is recorded. */
  async update(topId: string, type: VolumeResourceType, change: { sizeGb?: number; volumeType?: string | null }): Promise<void> {
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    if (change.sizeGb !== undefined) {
      sets.push('size_gb = ?');
      args.push(change.sizeGb);
    }
    if (change.volumeType !== undefined) {
      sets.push('volume_type = ?');
      args.push(change.volumeType);
    }
    if (sets.length === 0) return;
    await this.db.execute({
      sql: `UPDATE volume_usage SET ${sets.join(', ')}, updated_at = ? WHERE top_id = ? AND resource_type = ?`,
      args: [...args, isoNow(), topId, type],
    });
  }

  /**
   * A project's volumes, snapshots and backups with an active routing; sizes only for those whose
   * cost was recorded (a routed resource without a record counts as one, of 0 GB).
   */
  async usage(projectId: string): Promise<VolumeUsage> {
    const r = await this.db.execute({
      sql: `SELECT r.resource_type AS type, u.volume_type AS vtype, COUNT(*) AS n, COALESCE(SUM(u.size_gb), 0) AS gb
            FROM routings r LEFT JOIN volume_usage u ON u.top_id = r.top_id AND u.resource_type = r.resource_type
            WHERE r.project_id = ? AND r.resource_type IN ('volume', 'snapshot', 'backup') AND r.status = 'active'
            GROUP BY r.resource_type, u.volume_type`,
      args: [projectId],
    });
    const out: VolumeUsage = { count: { volume: 0, snapshot: 0, backup: 0 }, gigabytes: { volume: 0, snapshot: 0, backup: 0 }, byType: {} };
    for (const row of r.rows) {
      const type = String(row.type) as VolumeResourceType;
      const n = Number(row.n);
      const gb = Number(row.gb);
      out.count[type] += n;
      out.gigabytes[type] += gb;
      if (type === 'backup' || row.vtype === null) continue;
      const t = (out.byType[String(row.vtype)] ??= { volumes: 0, snapshots: 0, gigabytes: 0 });
      if (type === 'volume') t.volumes += n;
      else t.snapshots += n;
      t.gigabytes += gb;
    }
    return out;
  }
}
