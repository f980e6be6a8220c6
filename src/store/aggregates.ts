/**
 * Host aggregates repository. Aggregates are kept at the top; each bottom pod has one aggregate
 * (`pod_id` set) that the compute API creates on first sight of the pod, named `ag_<pod_name>`
 * with the pod's top AZ, as the original created it with the pod.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  pod_id: string | null;
  created_at: string;
  updated_at: string | null;
  metadata: Record<string, string>;
}

/** The metadata key holding an aggregate's availability zone (Nova's). */
export const AGGREGATE_AZ_KEY = 'availability_zone';

const COLUMNS = 'id, uuid, name, pod_id, created_at, updated_at';

function toAggregate(r: Row, metadata: Record<string, string>): Aggregate {
  return {
    id: Number(r.id),
    uuid: String(r.uuid),
    name: String(r.name),
    pod_id: r.pod_id == null ? null : String(r.pod_id),
    created_at: String(r.created_at),
    updated_at: r.updated_at == null ? null : String(r.updated_at),
    metadata,
  };
}

export class AggregateRepo {
  constructor(private readonly db: Client) {}

  async list(): Promise<Aggregate[]> {
    const [rows, meta] = await this.db.batch([`SELECT ${COLUMNS} FROM aggregates ORDER BY id`, 'SELECT aggregate_id, key, value FROM aggregate_metadata ORDER BY key'], 'read');
    const byId = new Map<number, Record<string, string>>();
    for (const m of meta!.rows) {
      const id = Number(m.aggregate_id);
      if (!byId.has(id)) byId.set(id, {});
      byId.get(id)![String(m.key)] = String(m.value);
    }
    return rows!.rows.map((r) => toAggregate(r, byId.get(Number(r.id)) ?? {}));
  }

  /** The aggregates an operator made (no pod's own) whose availability zone is `zone`. */
  async withZone(zone: string): Promise<Aggregate[]> {
    const r = await this.db.execute({
      sql: `SELECT a.id FROM aggregates a JOIN aggregate_metadata m ON m.aggregate_id = a.id WHERE a.pod_id IS NULL AND m.key = ? AND m.value = ? ORDER BY a.id`,
      args: [AGGREGATE_AZ_KEY, zone],
    });
    const out: Aggregate[] = [];
    for (const row of r.rows) {
      const a = await this.get(Number(row.id));
      if (a) out.push(a);
    }
    return out;
  }

  async get(id: number): Promise<Aggregate | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM aggregates WHERE id = ?`, args: [id] });
    if (!r.rows[0]) return undefined;
    return toAggregate(r.rows[0], await this.metadata(id));
  }

  async metadata(id: number): Promise<Record<string, string>> {
    const r = await this.db.execute({ sql: 'SELECT key, value FROM aggregate_metadata WHERE aggregate_id = ? ORDER BY key', args: [id] });
    return Object.fromEntries(r.rows.map((m) => [String(m.key), String(m.value)]));
  }

  /** Creates an aggregate with its metadata; a duplicate name raises a UNIQUE violation. */
  async create(name: string, metadata: Record<string, string>, podId: string | null = null): Promise<Aggregate> {
    const now = isoNow();
    const uuid = randomUUID();
    await this.db.batch(
      [
        { sql: 'INSERT INTO aggregates (uuid, name, pod_id, created_at) VALUES (?, ?, ?, ?)', args: [uuid, name, podId, now] },
        ...Object.entries(metadata).map(([k, v]) => ({
          sql: 'INSERT INTO aggregate_metadata (aggregate_id, key, value) VALUES ((SELECT id FROM aggregates WHERE uuid = ?), ?, ?)',
          args: [uuid, k, v],
        })),
      ],
      'write',
    );
    const r = await this.db.execute({ sql: 'SELECT id FROM aggregates WHERE uuid = ?', args: [uuid] });
    return (await this.get(Number(r.rows[0]!.id)))!;
  }

  async rename(id: number, name: string): Promise<void> {
    await this.db.execute({ sql: 'UPDATE aggregates SET name = ?, updated_at = ? WHERE id = ?', args: [name, isoNow(), id] });
  }

  /** Sets (string) or removes (null) metadata keys, as Nova's set_metadata does. */
  async updateMetadata(id: number, changes: Record<string, string | null>): Promise<void> {
    await this.db.batch(
      [
        ...Object.entries(changes).map(([k, v]) =>
          v === null
            ? { sql: 'DELETE FROM aggregate_metadata WHERE aggregate_id = ? AND key = ?', args: [id, k] }
            : {
                sql: 'INSERT INTO aggregate_metadata (aggregate_id, key, value) VALUES (?, ?, ?) ON CONFLICT (aggregate_id, key) DO UPDATE SET value = excluded.value',
                args: [id, k, v],
              },
        ),
        { sql: 'UPDATE aggregates SET updated_at = ? WHERE id = ?', args: [isoNow(), id] },
      ],
      'write',
    );
  }

  async delete(id: number): Promise<boolean> {
    const res = await this.db.batch(
      [
        { sql: 'DELETE FROM aggregate_metadata WHERE aggregate_id = ?', args: [id] },
        { sql: 'DELETE FROM aggregates WHERE id = ?', args: [id] },
      ],
      'write',
    );
    return (res[1]?.rowsAffected ?? 0) > 0;
  }
}
