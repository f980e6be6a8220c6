/** Endpoint cache repository: pod service URLs learned from the Keystone catalog. */
import type { Client } from '@libsql/client';
import { isoNow } from './time';
import type { PodServiceType } from './pods';

export class EndpointCacheRepo {
  constructor(private readonly db: Client) {}

  async get(podId: string, service: PodServiceType): Promise<string | undefined> {
    const r = await this.db.execute({ sql: 'SELECT url FROM endpoint_cache WHERE pod_id = ? AND service_type = ?', args: [podId, service] });
    return r.rows[0] ? String(r.rows[0].url) : undefined;
  }

  async put(podId: string, service: PodServiceType, url: string): Promise<void> {
    await this.db.execute({
      sql: `INSERT INTO endpoint_cache (pod_id, service_type, url, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (pod_id, service_type) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at`,
      args: [podId, service, url, isoNow()],
    });
  }

  async drop(podId: string): Promise<void> {
    await this.db.execute({ sql: 'DELETE FROM endpoint_cache WHERE pod_id = ?', args: [podId] });
  }
}
