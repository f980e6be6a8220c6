/**
 * Volume types repository: the top-level catalog of Cinder volume types users see at the gateway
 * (Cinder's `/types`). Extra specs and project access have their own tables and repositories.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export interface VolumeType {
  id: string;
  name: string;
  description: string | null;
  is_public: boolean;
  qos_specs_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewVolumeType {
  name: string;
  description: string | null;
  is_public: boolean;
}

export type VolumeTypePatch = Partial<Pick<VolumeType, 'name' | 'description' | 'is_public'>>;

/** Which types a listing shows (Cinder's `is_public` filter: non-admins see public types and private ones shared with their project). */
export interface VolumeTypeVisibility {
  /** true: public ones (plus those shared with `projectId`); false: private ones; undefined: all. */
  isPublic?: boolean;
  /** With isPublic true, also the private types this project was given access to. */
  projectId?: string | null;
}

const COLUMNS = 'id, name, description, is_public, qos_specs_id, created_at, updated_at';

function toType(r: Row): VolumeType {
  return {
    id: String(r.id),
    name: String(r.name),
    description: r.description == null ? null : String(r.description),
    is_public: Number(r.is_public) === 1,
    qos_specs_id: r.qos_specs_id == null ? null : String(r.qos_specs_id),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

export class VolumeTypeRepo {
  constructor(private readonly db: Client) {}

  /** Inserts a type; a taken name rejects with a UNIQUE violation (callers answer 409). */
  async create(t: NewVolumeType): Promise<VolumeType> {
    const now = isoNow();
    const row: VolumeType = { id: randomUUID(), ...t, qos_specs_id: null, created_at: now, updated_at: now };
    await this.db.execute({
      sql: `INSERT INTO volume_types (${COLUMNS}) VALUES (?, ?, ?, ?, NULL, ?, ?)`,
      args: [row.id, row.name, row.description, row.is_public ? 1 : 0, now, now],
    });
    return row;
  }

  async get(id: string): Promise<VolumeType | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM volume_types WHERE id = ?`, args: [id] });
    return r.rows[0] ? toType(r.rows[0]) : undefined;
  }

  async getByName(name: string): Promise<VolumeType | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM volume_types WHERE name = ?`, args: [name] });
    return r.rows[0] ? toType(r.rows[0]) : undefined;
  }

  /** Types in creation order, filtered as Cinder's `volume_type_get_all` does. */
  async list(v: VolumeTypeVisibility = {}): Promise<VolumeType[]> {
    let where = '1 = 1';
    const args: (string | number)[] = [];
    if (v.isPublic === false) where = 'is_public = 0';
    else if (v.isPublic === true && v.projectId) {
      where = 'is_public = 1 OR id IN (SELECT type_id FROM volume_type_projects WHERE project_id = ?)';
      args.push(v.projectId);
    } else if (v.isPublic === true) where = 'is_public = 1';
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM volume_types WHERE ${where} ORDER BY seq`, args });
    return r.rows.map(toType);
  }

  /** Applies `patch`; undefined when the type does not exist. A taken name rejects (UNIQUE). */
  async update(id: string, patch: VolumeTypePatch): Promise<VolumeType | undefined> {
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    if (patch.name !== undefined) (sets.push('name = ?'), args.push(patch.name));
    if (patch.description !== undefined) (sets.push('description = ?'), args.push(patch.description));
    if (patch.is_public !== undefined) (sets.push('is_public = ?'), args.push(patch.is_public ? 1 : 0));
    if (sets.length > 0) {
      sets.push('updated_at = ?');
      args.push(isoNow(), id);
      await this.db.execute({ sql: `UPDATE volume_types SET ${sets.join(', ')} WHERE id = ?`, args });
    }
    return this.get(id);
  }

  /** Associates the type with a QoS spec (or none); false when the type does not exist. */
  async setQos(id: string, qosSpecsId: string | null): Promise<boolean> {
    const r = await this.db.execute({ sql: 'UPDATE volume_types SET qos_specs_id = ?, updated_at = ? WHERE id = ?', args: [qosSpecsId, isoNow(), id] });
    return r.rowsAffected > 0;
  }

  /** The types associated with a QoS spec, in creation order. */
  async withQos(qosSpecsId: string): Promise<VolumeType[]> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM volume_types WHERE qos_specs_id = ? ORDER BY seq`, args: [qosSpecsId] });
    return r.rows.map(toType);
  }

  /** Deletes the type with its extra specs and access rows in one write. */
  async delete(id: string): Promise<boolean> {
    const results = await this.db.batch(
      [
        { sql: 'DELETE FROM volume_type_extra_specs WHERE type_id = ?', args: [id] },
        { sql: 'DELETE FROM volume_type_projects WHERE type_id = ?', args: [id] },
        { sql: 'DELETE FROM volume_types WHERE id = ?', args: [id] },
      ],
      'write',
    );
    return (results[2]?.rowsAffected ?? 0) > 0;
  }
}
