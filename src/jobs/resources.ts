/**
 * How the jobs ask a pod about one routed resource with the gateway's credentials: where it is
 * (the show path of Nova's and Cinder's API references), and what its answer says about its
 * life — still being deleted, or there.
 */
import type { ServiceType } from '../pods';
import type { ResourceType } from '../routing';

export interface ResourceKind {
  service: ServiceType;
  /** Show path of one resource (`{project}`: the service project). */
  show(id: string): string;
  /** Collection key in a detailed list, item key in a show. */
  one: string;
  many: string;
  /** Microversion the jobs speak for this resource. */
  version: string;
  /**
   * Whether a shown resource is on its way out: Nova keeps a server with task_state `deleting`
   * (or soft-deleted) until the compute host freed it; Cinder keeps `deleting`.
   */
  deleting(item: Record<string, unknown>): boolean;
}

/** Nova 2.47 shows the flavor inline and the extended attributes an admin may read. */
export const COMPUTE_VERSION = 'compute 2.47';
/** Cinder 3.27 has the attachments API. */
export const VOLUME_VERSION = 'volume 3.27';

const cinderDeleting = (item: Record<string, unknown>) => item.status === 'deleting';

export const RESOURCE_KINDS: Readonly<Record<ResourceType, ResourceKind>> = {
  server: {
    service: 'compute',
    show: (id) => `/v2.1/servers/${encodeURIComponent(id)}`,
    one: 'server',
    many: 'servers',
    version: COMPUTE_VERSION,
    deleting: (s) => s['OS-EXT-STS:task_state'] === 'deleting' || s.status === 'DELETED' || s.status === 'SOFT_DELETED',
  },
  volume: { service: 'volumev3', show: (id) => `/v3/{project}/volumes/${encodeURIComponent(id)}`, one: 'volume', many: 'volumes', version: VOLUME_VERSION, deleting: cinderDeleting },
  snapshot: { service: 'volumev3', show: (id) => `/v3/{project}/snapshots/${encodeURIComponent(id)}`, one: 'snapshot', many: 'snapshots', version: VOLUME_VERSION, deleting: cinderDeleting },
  backup: { service: 'volumev3', show: (id) => `/v3/{project}/backups/${encodeURIComponent(id)}`, one: 'backup', many: 'backups', version: VOLUME_VERSION, deleting: cinderDeleting },
  attachment: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/attachments/${encodeURIComponent(id)}`,
    one: 'attachment',
    many: 'attachments',
    version: VOLUME_VERSION,
    deleting: () => false,
  },
};
