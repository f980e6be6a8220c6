// In-memory state of one simulated Cinder: the maps, visibility rules and
// the timer that moves resources through their transient states.
// Visibility follows Cinder: a non-admin sees only its project's resources and
// gets "could not be found" for the rest; an admin may address any id.
import { randomUUID } from 'node:crypto';
import { backupNotFound, notFound, snapshotNotFound, volumeNotFound, volumeTypeNotFound } from './faults';
import type { SimMessage } from './messages';
import type { SimQosSpec } from './qos-specs';
import type { SimGroup, SimGroupSnapshot, SimGroupType } from './groups';
import type { SimEncryption } from './type-encryption';
import type { SimTransfer } from './transfers';
import type {
  SimAttachment,
  SimBackup,
  SimIdentity,
  SimServiceEnv,
  SimSnapshot,
  SimVolume,
  SimVolumeType,
} from './types';

/** Name of the type Cinder creates at install and uses when none is given. */
export const DEFAULT_TYPE_NAME = '__DEFAULT__';

/** What the volume service needs to know about an image (Glance lookup). */
export interface ImageLookupResult {
  id: string;
  name: string | null;
  size: number | null;
  min_disk: number;
  disk_format: string | null;
  container_format: string | null;
  checksum: string | null;
  min_ram: number;
}
/** Fields of an image made by os-volume_upload_image. */
export interface NewImage {
  name: string;
  disk_format: string;
  container_format: string;
  size: number;
  visibility: string;
  protected: boolean;
  owner: string;
}
/** The pod's Glance as the volume service sees it (ImageService implements it). */
export interface ImageLookup {
  get(id: string): ImageLookupResult | undefined;
  list(): ImageLookupResult[];
  /** Register an image uploaded from a volume; returns its id. */
  add?(image: NewImage): string;
}

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

let lastMicros = 0;
/**
 * The time as a Cinder create answer shows it ('2024-01-01T10:00:00.123456', no zone): the new
 * object before its database round trip, to the microsecond. Strictly increasing.
 */
export function cinderTimeExact(): string {
  let us = Date.now() * 1000;
  if (us <= lastMicros) us = lastMicros + 1;
  lastMicros = us;
  const iso = new Date(Math.floor(us / 1000)).toISOString().slice(0, 19);
  return `${iso}.${String(us % 1_000_000).padStart(6, '0')}`;
}

/**
 * A stored Cinder timestamp as the API reads it back: MySQL's DATETIME keeps whole seconds,
 * so every created_at/updated_at/attached_at a real Cinder shows ends in .000000, and
 * resources made within one second tie (lists then order them by id).
 */
export function cinderTime(exact = cinderTimeExact()): string {
  return `${exact.slice(0, 19)}.000000`;
}

/** created_at as the create answer showed it, per record (the stored one is truncated). */
const answeredAt = new WeakMap<object, string>();
export function rememberCreated(record: object, exact: string): void {
  answeredAt.set(record, exact);
}
/** The view of a just-created record with created_at to the microsecond, as Cinder answers. */
export function asCreated<T extends Record<string, unknown>>(record: object, view: T): T {
  const exact = answeredAt.get(record);
  return exact ? { ...view, created_at: exact } : view;
}

export class CinderState {
  readonly env: SimServiceEnv;
  readonly volumes = new Map<string, SimVolume>();
  readonly snapshots = new Map<string, SimSnapshot>();
  readonly backups = new Map<string, SimBackup>();
  readonly types = new Map<string, SimVolumeType>();
  /** Every attachment record, including reserved ones of the 3.27 attachments API. */
  readonly attachments = new Map<string, SimAttachment>();
  /** Quota limits an admin set per project (os-quota-sets); only these are enforced. */
  readonly quotaOverrides = new Map<string, Record<string, number>>();
  readonly transfers = new Map<string, SimTransfer>();
  readonly messages = new Map<string, SimMessage>();
  readonly qos = new Map<string, SimQosSpec>();
  /** Type id → its encryption spec. */
  readonly encryption = new Map<string, SimEncryption>();
  /** Project → its default volume type id (3.62). */
  readonly defaultTypes = new Map<string, string>();
  readonly groupTypes = new Map<string, SimGroupType>();
  readonly groups = new Map<string, SimGroup>();
  readonly groupSnapshots = new Map<string, SimGroupSnapshot>();
  /** Cinder volume service host, 'host@backend#pool' as os-vol-host-attr:host shows it. */
  readonly host: string;
  /** The one backend's `volume_backend_name` (devstack's LVM default). */
  readonly backendName = 'lvmdriver-1';
  readonly serviceUuid = randomUUID();
  readonly defaultTypeId: string;
  images: ImageLookup | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(env: SimServiceEnv) {
    this.env = env;
    this.host = `${env.podName.toLowerCase()}-cinder@${this.backendName}#${this.backendName}`;
    this.defaultTypeId = randomUUID();
    this.types.set(this.defaultTypeId, {
      id: this.defaultTypeId,
      name: DEFAULT_TYPE_NAME,
      description: 'Default Volume Type',
      isPublic: true,
      extraSpecs: {},
      access: new Set(),
      qosSpecsId: null,
    });
  }

  /** Run `fn` after transitionMs; timers never keep the process alive. */
  later(fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, this.env.transitionMs);
    t.unref();
    this.#timers.add(t);
  }

  /** Cancel pending transitions (pod shutdown). */
  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  canSee(who: SimIdentity, projectId: string): boolean {
    return who.isAdmin || who.projectId === projectId;
  }

  volume(who: SimIdentity, id: string): SimVolume {
    const v = this.volumes.get(id);
    if (!v || !this.canSee(who, v.projectId)) throw volumeNotFound(id);
    return v;
  }

  snapshot(who: SimIdentity, id: string): SimSnapshot {
    const s = this.snapshots.get(id);
    if (!s || !this.canSee(who, s.projectId)) throw snapshotNotFound(id);
    return s;
  }

  backup(who: SimIdentity, id: string): SimBackup {
    const b = this.backups.get(id);
    if (!b || !this.canSee(who, b.projectId)) throw backupNotFound(id);
    return b;
  }

  /** A type the caller may use: public, granted to its project, or any for admins. */
  typeVisible(who: SimIdentity, t: SimVolumeType): boolean {
    return t.isPublic || who.isAdmin || t.access.has(who.projectId);
  }

  type(who: SimIdentity, id: string): SimVolumeType {
    const t = this.types.get(id);
    if (!t || !this.typeVisible(who, t)) throw volumeTypeNotFound(id);
    return t;
  }

  /** objects.VolumeType.get_by_name_or_id: a uuid-like ref is an id, anything else a name. */
  typeByNameOrId(who: SimIdentity, ref: string): SimVolumeType {
    if (UUID_LIKE.test(ref)) return this.type(who, ref);
    for (const t of this.types.values()) if (t.name === ref && this.typeVisible(who, t)) return t;
    throw notFound(`Volume type with name ${ref} could not be found.`);
  }

  /** The type a volume of `projectId` gets when its create names none (3.62 project default first). */
  defaultTypeFor(projectId: string): SimVolumeType {
    const own = this.defaultTypes.get(projectId);
    return (own ? this.types.get(own) : undefined) ?? this.types.get(this.defaultTypeId)!;
  }

  typeName(id: string): string | null {
    return this.types.get(id)?.name ?? null;
  }

  /** Attachments Cinder lists in the volume view: attach_status 'attached' only. */
  attachedOf(v: SimVolume): SimAttachment[] {
    return v.attachments.filter((a) => a.status === 'attached');
  }

  touch(v: { updatedAt: string | null }): void {
    v.updatedAt = cinderTime();
  }

  /** Status back to in-use or available after the last attachment goes, as Cinder's manager does. */
  settleAttachStatus(v: SimVolume): void {
    if (this.attachedOf(v).length > 0) {
      v.status = 'in-use';
    } else {
      v.status = 'available';
      delete v.adminMetadata.attached_mode;
    }
    this.touch(v);
  }

  addAttachment(v: SimVolume, a: SimAttachment): void {
    v.attachments.push(a);
    this.attachments.set(a.id, a);
  }

  removeAttachment(v: SimVolume, a: SimAttachment): void {
    v.attachments = v.attachments.filter((x) => x.id !== a.id);
    this.attachments.delete(a.id);
  }
}
