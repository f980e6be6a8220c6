/** Which projects may use a private volume type (Cinder's volume_type_projects table). */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export class VolumeTypeAccessRepo {
  constructor(private readonly db: Client) {}

  /** Projects granted access to the type, in grant order. */
  async projects(typeId: string): Promise<string[]> {
    const r = await this.db.execute({ sql: 'SELECT project_id FROM volume_type_projects WHERE type_id = ? ORDER BY rowid', args: [typeId] });
    return r.rows.map((row) => String(row.project_id));
  }

  async has(typeId: string, projectId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'SELECT 1 FROM volume_type_projects WHERE type_id = ? AND project_id = ?', args: [typeId, projectId] });
    return r.rows.length > 0;
  }

  /** Grants access; a second grant rejects with a UNIQUE violation (callers answer 409). */
  async add(typeId: string, projectId: string): Promise<void> {
    await this.db.execute({ sql: 'INSERT INTO volume_type_projects (type_id, project_id, created_at) VALUES (?, ?, ?)', args: [typeId, projectId, isoNow()] });
  }

  async remove(typeId: string, projectId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM volume_type_projects WHERE type_id = ? AND project_id = ?', args: [typeId, projectId] });
    return r.rowsAffected > 0;
  }
}
