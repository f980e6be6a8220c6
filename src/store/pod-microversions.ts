/** The maximum microversion each pod last announced, per service (discovery's memory across restarts). */
import type { Client } from '@libsql/client';
import { isoNow } from './time';

export class PodMicroversionRepo {
  constructor(private readonly db: Client) {}

  /** podId → the version string last stored for `service` ('compute', 'volumev3'). */
  async list(service: string): Promise<Map<string, string>> {
    const r = await this.db.execute({ sql: 'SELECT pod_id, max_version FROM pod_microversions WHERE service_type = ?', args: [service] });
    return new Map(r.rows.map((row) => [String(row.pod_id), String(row.max_version)]));
  }

  async put(podId: string, service: string, maxVersion: string): Promise<void> {
    await this.db.execute({
      sql: `INSERT INTO pod_microversions (pod_id, service_type, max_version, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (pod_id, service_type) DO UPDATE SET max_version = excluded.max_version, updated_at = excluded.updated_at`,
      args: [podId, service, maxVersion, isoNow()],
    });
  }
}
