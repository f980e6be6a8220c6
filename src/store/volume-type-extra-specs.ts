/** Extra specs of volume types (`{key: value}` per type), as Cinder's volume_type_extra_specs table. */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export class VolumeTypeExtraSpecRepo {
  constructor(private readonly db: Client) {}

  /** All specs of one type as a map. */
  async get(typeId: string): Promise<Record<string, string>> {
    const r = await this.db.execute({ sql: 'SELECT key, value FROM volume_type_extra_specs WHERE type_id = ? ORDER BY key', args: [typeId] });
    return Object.fromEntries(r.rows.map((row) => [String(row.key), String(row.value)]));
  }

  /** Specs of many types at once (one query for a listing). */
  async forTypes(typeIds: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>(typeIds.map((id) => [id, {}]));
    if (typeIds.length === 0) return out;
    const r = await this.db.execute({
      sql: `SELECT type_id, key, value FROM volume_type_extra_specs WHERE type_id IN (${typeIds.map(() => '?').join(', ')}) ORDER BY key`,
      args: typeIds,
    });
    for (const row of r.rows) out.get(String(row.type_id))![String(row.key)] = String(row.value);
    return out;
  }

  /** Sets (creates or replaces) the given keys, leaving the others alone. */
  async set(typeId: string, specs: Record<string, string>): Promise<void> {
    const now = isoNow();
    const stmts = Object.entries(specs).map(([key, value]) => ({
      sql: `INSERT INTO volume_type_extra_specs (type_id, key, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (type_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      args: [typeId, key, value, now, now],
    }));
    if (stmts.length > 0) await this.db.batch(stmts, 'write');
  }

  async delete(typeId: string, key: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM volume_type_extra_specs WHERE type_id = ? AND key = ?', args: [typeId, key] });
    return r.rowsAffected > 0;
  }
}
