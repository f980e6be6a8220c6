/**
 * Flavor catalog repository: flavors with Nova's column names (memory_mb, root_gb, ...), their
 * extra specs and the projects that may use a private flavor. Lists page through `selectPage`.
 */
import type { Client, InValue, Row } from '@libsql/client';
import { selectPage } from './paging';
import { isoNow } from './time';

export interface Flavor {
  seq: number;
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  vcpu_weight: number | null;
  disabled: boolean;
  is_public: boolean;
  description: string | null;
  created_at: string;
  updated_at: string | null;
}

export type NewFlavor = Omit<Flavor, 'seq' | 'created_at' | 'updated_at' | 'vcpu_weight' | 'disabled'>;

/**
 * Nova's VALID_SORT_KEYS → columns (`id` is Nova's internal integer id, our seq). A caller's key
 * is looked up with `flavorSortColumn`, never by indexing: `constructor` must not find
 * Object.prototype's member and put a function's text into the SQL.
 */
export const FLAVOR_SORT_COLUMNS: Readonly<Record<string, string>> = {
  created_at: 'created_at', description: 'description', disabled: 'disabled', ephemeral_gb: 'ephemeral_gb',
  flavorid: 'flavorid', id: 'seq', is_public: 'is_public', memory_mb: 'memory_mb', name: 'name',
  root_gb: 'root_gb', rxtx_factor: 'rxtx_factor', swap: 'swap', updated_at: 'updated_at',
  vcpu_weight: 'vcpu_weight', vcpus: 'vcpus',
};

/** The column of a sort key, when it is one of Nova's (own properties only). */
export function flavorSortColumn(key: string): string | undefined {
  return Object.hasOwn(FLAVOR_SORT_COLUMNS, key) ? FLAVOR_SORT_COLUMNS[key] : undefined;
}

export interface FlavorFilter {
  /** true: public ones (plus private ones `projectId` may use); false: private only; null: all. */
  isPublic: boolean | null;
  /** Project whose access grants count toward `isPublic: true`. */
  projectId?: string;
  /** Hide disabled flavors (non-admin lists). */
  enabledOnly?: boolean;
  minRam?: number;
  minDisk?: number;
  name?: string;
  sortKey: string;
  sortDir: 'asc' | 'desc';
  marker?: string;
  limit?: number;
}

const COLUMNS =
  'seq, flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, rxtx_factor, vcpu_weight, disabled, is_public, description, created_at, updated_at';

function toFlavor(r: Row): Flavor {
  return {
    seq: Number(r.seq),
    flavorid: String(r.flavorid),
    name: String(r.name),
    memory_mb: Number(r.memory_mb),
    vcpus: Number(r.vcpus),
    root_gb: Number(r.root_gb),
    ephemeral_gb: Number(r.ephemeral_gb),
    swap: Number(r.swap),
    rxtx_factor: Number(r.rxtx_factor),
    vcpu_weight: r.vcpu_weight == null ? null : Number(r.vcpu_weight),
    disabled: Number(r.disabled) === 1,
    is_public: Number(r.is_public) === 1,
    description: r.description == null ? null : String(r.description),
    created_at: String(r.created_at),
    updated_at: r.updated_at == null ? null : String(r.updated_at),
  };
}

export class FlavorRepo {
  constructor(private readonly db: Client) {}

  /** One page of flavors; throws MarkerNotFoundError for an unknown marker. */
  async list(f: FlavorFilter): Promise<Flavor[]> {
    const where: string[] = [];
    const args: InValue[] = [];
    if (f.isPublic === true && f.projectId !== undefined) {
      where.push('is_public = 1 OR flavorid IN (SELECT flavorid FROM flavor_projects WHERE project_id = ?)');
      args.push(f.projectId);
    } else if (f.isPublic !== null) {
      where.push('is_public = ?');
      args.push(f.isPublic ? 1 : 0);
    }
    if (f.enabledOnly) where.push('disabled = 0');
    if (f.minRam !== undefined) (where.push('memory_mb >= ?'), args.push(f.minRam));
    if (f.minDisk !== undefined) (where.push('root_gb >= ?'), args.push(f.minDisk));
    if (f.name !== undefined) (where.push('name = ?'), args.push(f.name));
    const rows = await selectPage(this.db, {
      from: 'flavors',
      columns: COLUMNS,
      where,
      args,
      sortKey: flavorSortColumn(f.sortKey) ?? 'flavorid',
      sortDir: f.sortDir,
      tiebreak: 'seq',
      marker: f.marker === undefined ? undefined : { column: 'flavorid', value: f.marker },
      limit: f.limit,
    });
    return rows.map(toFlavor);
  }

  async get(flavorid: string): Promise<Flavor | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM flavors WHERE flavorid = ?`, args: [flavorid] });
    return r.rows[0] ? toFlavor(r.rows[0]) : undefined;
  }

  async getByName(name: string): Promise<Flavor | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM flavors WHERE name = ?`, args: [name] });
    return r.rows[0] ? toFlavor(r.rows[0]) : undefined;
  }

  /** Inserts a flavor; a UNIQUE violation (id or name) propagates for the caller to classify. */
  async create(f: NewFlavor): Promise<Flavor> {
    await this.db.execute({
      sql: `INSERT INTO flavors (flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, rxtx_factor, is_public, description, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [f.flavorid, f.name, f.memory_mb, f.vcpus, f.root_gb, f.ephemeral_gb, f.swap, f.rxtx_factor, f.is_public ? 1 : 0, f.description, isoNow()],
    });
    return (await this.get(f.flavorid))!;
  }

  /**
   * Replaces what a flavor is (name, sizes, visibility, description): only for a seed flavor the
   * first registered pod defines differently under the same id, before anything used it.
   */
  async redefine(flavorid: string, f: Omit<NewFlavor, 'flavorid'>): Promise<Flavor | undefined> {
    await this.db.execute({
      sql: `UPDATE flavors SET name = ?, memory_mb = ?, vcpus = ?, root_gb = ?, ephemeral_gb = ?, swap = ?, rxtx_factor = ?, is_public = ?, description = ?, updated_at = ?
            WHERE flavorid = ?`,
      args: [f.name, f.memory_mb, f.vcpus, f.root_gb, f.ephemeral_gb, f.swap, f.rxtx_factor, f.is_public ? 1 : 0, f.description, isoNow(), flavorid],
    });
    return this.get(flavorid);
  }

  /** Whether any server was created with the flavor (its quota usage names it). */
  async inUse(flavorid: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'SELECT 1 FROM server_usage WHERE flavorid = ? LIMIT 1', args: [flavorid] });
    return r.rows.length > 0;
  }

  async setDescription(flavorid: string, description: string | null): Promise<Flavor | undefined> {
    await this.db.execute({ sql: 'UPDATE flavors SET description = ?, updated_at = ? WHERE flavorid = ?', args: [description, isoNow(), flavorid] });
    return this.get(flavorid);
  }

  /** Deletes the flavor with its specs and access rows; false when it did not exist. */
  async delete(flavorid: string): Promise<boolean> {
    const res = await this.db.batch(
      [
        { sql: 'DELETE FROM flavor_extra_specs WHERE flavorid = ?', args: [flavorid] },
        { sql: 'DELETE FROM flavor_projects WHERE flavorid = ?', args: [flavorid] },
        { sql: 'DELETE FROM flavors WHERE flavorid = ?', args: [flavorid] },
      ],
      'write',
    );
    return (res[2]?.rowsAffected ?? 0) > 0;
  }

  async extraSpecs(flavorid: string): Promise<Record<string, string>> {
    const r = await this.db.execute({ sql: 'SELECT key, value FROM flavor_extra_specs WHERE flavorid = ? ORDER BY key', args: [flavorid] });
    return Object.fromEntries(r.rows.map((row) => [String(row.key), String(row.value)]));
  }

  /** Extra specs of many flavors at once (one query for a detail list). */
  async extraSpecsOf(flavorids: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>(flavorids.map((id) => [id, {}]));
    if (flavorids.length === 0) return out;
    const r = await this.db.execute({
      sql: `SELECT flavorid, key, value FROM flavor_extra_specs WHERE flavorid IN (${flavorids.map(() => '?').join(', ')}) ORDER BY key`,
      args: flavorids,
    });
    for (const row of r.rows) out.get(String(row.flavorid))![String(row.key)] = String(row.value);
    return out;
  }

  /** Adds or replaces specs (Nova merges the given keys into the existing ones). */
  async putExtraSpecs(flavorid: string, specs: Record<string, string>): Promise<void> {
    const entries = Object.entries(specs);
    if (entries.length === 0) return;
    await this.db.batch(
      entries.map(([k, v]) => ({
        sql: 'INSERT INTO flavor_extra_specs (flavorid, key, value) VALUES (?, ?, ?) ON CONFLICT (flavorid, key) DO UPDATE SET value = excluded.value',
        args: [flavorid, k, v],
      })),
      'write',
    );
  }

  async deleteExtraSpec(flavorid: string, key: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM flavor_extra_specs WHERE flavorid = ? AND key = ?', args: [flavorid, key] });
    return r.rowsAffected > 0;
  }

  /** Projects granted a private flavor, in grant order. */
  async projects(flavorid: string): Promise<string[]> {
    const r = await this.db.execute({ sql: 'SELECT project_id FROM flavor_projects WHERE flavorid = ? ORDER BY rowid', args: [flavorid] });
    return r.rows.map((row) => String(row.project_id));
  }

  async hasAccess(flavorid: string, projectId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'SELECT 1 FROM flavor_projects WHERE flavorid = ? AND project_id = ?', args: [flavorid, projectId] });
    return r.rows.length > 0;
  }

  /** Grants access; false when the project already had it. */
  async addAccess(flavorid: string, projectId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'INSERT OR IGNORE INTO flavor_projects (flavorid, project_id) VALUES (?, ?)', args: [flavorid, projectId] });
    return r.rowsAffected > 0;
  }

  async removeAccess(flavorid: string, projectId: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM flavor_projects WHERE flavorid = ? AND project_id = ?', args: [flavorid, projectId] });
    return r.rowsAffected > 0;
  }
}
