/** Keypairs repository: one row per (user, name), kept at the top and copied to pods on demand. */
import type { Client, Row } from '@libsql/client';
import { selectPage } from './paging';
import { isoNow } from './time';

export type KeypairType = 'ssh' | 'x509';

export interface Keypair {
  id: number;
  user_id: string;
  name: string;
  type: KeypairType;
  public_key: string;
  fingerprint: string;
  created_at: string;
}

export type NewKeypair = Omit<Keypair, 'id' | 'created_at'>;

const COLUMNS = 'seq, user_id, name, type, public_key, fingerprint, created_at';

function toKeypair(r: Row): Keypair {
  return {
    id: Number(r.seq),
    user_id: String(r.user_id),
    name: String(r.name),
    type: String(r.type) as KeypairType,
    public_key: String(r.public_key),
    fingerprint: String(r.fingerprint),
    created_at: String(r.created_at),
  };
}

export class KeypairRepo {
  constructor(private readonly db: Client) {}

  /** A user's keypairs by name (Nova's order); throws MarkerNotFoundError for an unknown marker. */
  async list(userId: string, page: { marker?: string; limit?: number } = {}): Promise<Keypair[]> {
    const rows = await selectPage(this.db, {
      from: 'keypairs',
      columns: COLUMNS,
      where: ['user_id = ?'],
      args: [userId],
      sortKey: 'name',
      sortDir: 'asc',
      tiebreak: 'seq',
      // The marker is looked up among the user's own keypairs only.
      marker: page.marker === undefined ? undefined : { column: 'name', value: page.marker, scope: { where: 'user_id = ?', args: [userId] } },
      limit: page.limit,
    });
    return rows.map(toKeypair);
  }

  async get(userId: string, name: string): Promise<Keypair | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM keypairs WHERE user_id = ? AND name = ?`, args: [userId, name] });
    return r.rows[0] ? toKeypair(r.rows[0]) : undefined;
  }

  async count(userId: string): Promise<number> {
    const r = await this.db.execute({ sql: 'SELECT COUNT(*) AS n FROM keypairs WHERE user_id = ?', args: [userId] });
    return Number(r.rows[0]?.n ?? 0);
  }

  /** Inserts; a UNIQUE violation (same user and name) propagates for the caller to answer 409. */
  async create(k: NewKeypair): Promise<Keypair> {
    await this.db.execute({
      sql: `INSERT INTO keypairs (user_id, name, type, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      args: [k.user_id, k.name, k.type, k.public_key, k.fingerprint, isoNow()],
    });
    return (await this.get(k.user_id, k.name))!;
  }

  async delete(userId: string, name: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM keypairs WHERE user_id = ? AND name = ?', args: [userId, name] });
    return r.rowsAffected > 0;
  }
}

