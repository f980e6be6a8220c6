// In-memory state of one simulated Nova: servers (with their Nova vm/task/power states),
// flavors, keypairs, quotas. Timers for asynchronous transitions live here too so that
// closing the pod cancels them all.

/** Nova power_state values (nova/compute/power_state.py). */
export const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, CRASHED: 6, SUSPENDED: 7 } as const;

export interface SimFlavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtx_factor: number;
  is_public: boolean;
  disabled: boolean;
  description: string | null;
  extra_specs: Record<string, string>;
  /** Projects granted access to a private flavor. */
  access: Set<string>;
  /** Creation order, Nova's internal id (flavors sort by flavorid by default). */
  seq: number;
}

/** Flavor snapshot embedded in the instance (what 2.47+ shows). */
export interface FlavorSnapshot {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  extra_specs: Record<string, string>;
}

export interface SimVolumeAttachment {
  /** BDM uuid (2.89 bdm_uuid); the attachment `id` in the API is the volume id. */
  bdmId: string;
  volumeId: string;
  device: string;
  tag: string | null;
  deleteOnTermination: boolean;
  attachmentId: string;
}

export interface SimActionEvent {
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
}

export interface SimInstanceAction {
  action: string;
  request_id: string;
  user_id: string;
  project_id: string;
  start_time: string;
  updated_at: string;
  message: string | null;
  events: SimActionEvent[];
}

export interface SimServer {
  id: string;
  seq: number;
  name: string;
  description: string | null;
  projectId: string;
  userId: string;
  flavor: FlavorSnapshot;
  /** What a resize changed, restored by revertResize (null when not resizing). */
  resizeFrom: { flavor: FlavorSnapshot; vmState: string; powerState: number } | null;
  /** '' when booted from volume. */
  imageId: string;
  /** Booted with networks "none" (2.37): no ports, so no addresses and no security groups shown. */
  noNetwork?: boolean;
  /** The AZ the create asked for; null when none (then an offloaded server, with no host, shows ''). */
  requestedAz?: string | null;
  keyName: string | null;
  metadata: Record<string, string>;
  tags: string[];
  securityGroups: string[];
  vmState: string;
  taskState: string | null;
  powerState: number;
  lockedBy: 'owner' | 'admin' | null;
  lockedReason: string | null;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  host: string;
  node: string;
  hostname: string;
  reservationId: string;
  launchIndex: number;
  userData: string | null;
  configDrive: string;
  accessIPv4: string;
  accessIPv6: string;
  /** OS-DCF:diskConfig: how the root disk was partitioned (create, rebuild, resize, update). */
  diskConfig: 'AUTO' | 'MANUAL';
  adminPass: string;
  /** Last octet source for the fixed IP shown in addresses. */
  ipIndex: number;
  volumes: SimVolumeAttachment[];
  actions: SimInstanceAction[];
  serverGroups: string[];
  trustedCerts: string[] | null;
}

/** Tombstone of a deleted server, kept for `changes-since` listings. */
export interface DeletedServer {
  server: SimServer;
  deletedAt: string;
}

export interface SimServerGroup {
  id: string;
  name: string;
  /** One policy (the 2.64 model; older microversions show it as a one-element list). */
  policy: string;
  rules: Record<string, unknown>;
  members: string[];
  projectId: string;
  userId: string;
}

/** A migration record (resize here: one host, so source and destination are the same). */
export interface SimMigration {
  id: number;
  uuid: string;
  instanceUuid: string;
  host: string;
  status: string;
  oldFlavorId: number;
  newFlavorId: number;
  type: 'resize' | 'migration';
  createdAt: string;
  updatedAt: string;
  userId: string;
  projectId: string;
}

export interface SimKeypair {
  name: string;
  userId: string;
  type: 'ssh' | 'x509';
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  id: number;
}

/** Nova's isotime: seconds precision with Z (utils.isotime). */
export function isoSeconds(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** str() of a naive datetime, what OS-SRV-USG:launched_at shows. */
export function naiveMicros(d = new Date()): string {
  return d.toISOString().replace(/Z$/, '000');
}

/**
 * A naive datetime as Nova's API shows one read back from its database: MySQL DATETIME keeps
 * whole seconds, so the fraction is always .000000 (instance actions, events, keypairs).
 */
export function naiveSeconds(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '.000000');
}

/** All mutable state of one simulated Nova. */
export class ComputeState {
  readonly servers = new Map<string, SimServer>();
  readonly deleted: DeletedServer[] = [];
  readonly flavors = new Map<string, SimFlavor>();
  /** userId -> name -> keypair */
  readonly keypairs = new Map<string, Map<string, SimKeypair>>();
  /** projectId -> quota overrides */
  readonly quotas = new Map<string, Record<string, number>>();
  /** os-migrations, in creation order. */
  readonly migrations: SimMigration[] = [];
  /** os-server-groups by id. */
  readonly serverGroups = new Map<string, SimServerGroup>();
  /**
   * The availability zone of the host aggregate holding the compute host, if one has a zone;
   * otherwise the host is in the pod's default zone (Nova's default_availability_zone).
   */
  hostAggregateZone: string | null = null;
  #timers = new Set<NodeJS.Timeout>();
  #seq = 0;
  #closed = false;

  constructor(readonly transitionMs: number) {}

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** Run fn after the pod's transition delay unless the pod closed meanwhile. */
  later(fn: () => void, ms = this.transitionMs): void {
    if (this.#closed) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#closed) fn();
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
