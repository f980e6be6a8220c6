/**
 * How the jobs ask a pod about one routed resource with the gateway's credentials: where it is
 * (the show path of Nova's and Cinder's API references), and what its answer says about its
 * life — still being deleted, or there.
 */
import type { ServiceType } from '../pods';
import type { ResourceType } from '../routing';
import type { Pod } from '../store';
import type { ServiceCaller } from './service-calls';

export interface ResourceKind {
  service: ServiceType;
  /** Show path of one resource (`{project}`: the service project). */
  show(id: string): string;
  /** Path of the detailed list (`{project}`: the service project). */
  list: string;
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
  /** The owning project as an admin's show names it (none for attachments). */
  projectOf(item: Record<string, unknown>): string | undefined;
}

/** Nova 2.47 shows the flavor inline and the extended attributes an admin may read. */
export const COMPUTE_VERSION = 'compute 2.47';
/** Cinder 3.27 has the attachments API. */
export const VOLUME_VERSION = 'volume 3.27';
/** Cinder 3.57 shows a transfer's source project (3.55 its no_snapshots). */
const TRANSFER_VERSION = 'volume 3.57';
/** Cinder 3.58 shows a group's and a group snapshot's project. */
const GROUP_VERSION = 'volume 3.58';

const cinderDeleting = (item: Record<string, unknown>) => item.status === 'deleting';
const field = (name: string) => (item: Record<string, unknown>) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);

export const RESOURCE_KINDS: Readonly<Record<ResourceType, ResourceKind>> = {
  server: {
    service: 'compute',
    show: (id) => `/v2.1/servers/${encodeURIComponent(id)}`,
    list: '/v2.1/servers/detail',
    one: 'server',
    many: 'servers',
    version: COMPUTE_VERSION,
    deleting: (s) => s['OS-EXT-STS:task_state'] === 'deleting' || s.status === 'DELETED' || s.status === 'SOFT_DELETED',
    projectOf: field('tenant_id'),
  },
  // Nova deletes a server group at once (204); it has no state of its own.
  server_group: {
    service: 'compute',
    show: (id) => `/v2.1/os-server-groups/${encodeURIComponent(id)}`,
    list: '/v2.1/os-server-groups',
    one: 'server_group',
    many: 'server_groups',
    version: COMPUTE_VERSION,
    deleting: () => false,
    projectOf: field('project_id'),
  },
  volume: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/volumes/${encodeURIComponent(id)}`,
    list: '/v3/{project}/volumes/detail',
    one: 'volume',
    many: 'volumes',
    version: VOLUME_VERSION,
    deleting: cinderDeleting,
    projectOf: field('os-vol-tenant-attr:tenant_id'),
  },
  snapshot: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/snapshots/${encodeURIComponent(id)}`,
    list: '/v3/{project}/snapshots/detail',
    one: 'snapshot',
    many: 'snapshots',
    version: VOLUME_VERSION,
    deleting: cinderDeleting,
    projectOf: field('os-extended-snapshot-attributes:project_id'),
  },
  backup: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/backups/${encodeURIComponent(id)}`,
    list: '/v3/{project}/backups/detail',
    one: 'backup',
    many: 'backups',
    version: VOLUME_VERSION,
    deleting: cinderDeleting,
    projectOf: field('os-backup-project-attr:project_id'),
  },
  attachment: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/attachments/${encodeURIComponent(id)}`,
    list: '/v3/{project}/attachments/detail',
    one: 'attachment',
    many: 'attachments',
    version: VOLUME_VERSION,
    deleting: () => false,
    projectOf: () => undefined,
  },
  transfer: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/os-volume-transfer/${encodeURIComponent(id)}`,
    list: '/v3/{project}/os-volume-transfer/detail',
    one: 'transfer',
    many: 'transfers',
    version: TRANSFER_VERSION,
    deleting: () => false,
    projectOf: field('source_project_id'),
  },
  message: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/messages/${encodeURIComponent(id)}`,
    list: '/v3/{project}/messages',
    one: 'message',
    many: 'messages',
    version: VOLUME_VERSION,
    deleting: () => false,
    // Cinder's message view names no project: only the project's own token finds it.
    projectOf: () => undefined,
  },
  group: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/groups/${encodeURIComponent(id)}`,
    list: '/v3/{project}/groups/detail',
    one: 'group',
    many: 'groups',
    version: GROUP_VERSION,
    deleting: cinderDeleting,
    projectOf: field('project_id'),
  },
  group_snapshot: {
    service: 'volumev3',
    show: (id) => `/v3/{project}/group_snapshots/${encodeURIComponent(id)}`,
    list: '/v3/{project}/group_snapshots/detail',
    one: 'group_snapshot',
    many: 'group_snapshots',
    version: GROUP_VERSION,
    deleting: cinderDeleting,
    projectOf: field('project_id'),
  },
};

/** What a pod says about one resource, asked with the gateway's credentials. */
export type ResourceState =
  | { state: 'gone' }
  | { state: 'present'; item: Record<string, unknown>; projectId?: string }
  | { state: 'unknown'; reason: string };

/**
 * Asks `pod` about resource `id` of `type`: 404 is proof it is gone; 200 shows it; anything else
 * proves nothing. Transport failures are thrown (PodError).
 */
export async function askResource(service: ServiceCaller, pod: Pod, type: ResourceType, id: string, signal?: AbortSignal): Promise<ResourceState> {
  const kind = RESOURCE_KINDS[type];
  const a = await service.call(pod, { service: kind.service, path: kind.show(id), version: kind.version, signal });
  if (a.status === 404) return { state: 'gone' };
  const item = (a.body as Record<string, unknown> | null)?.[kind.one];
  if (a.status !== 200 || !item || typeof item !== 'object') return { state: 'unknown', reason: `pod ${pod.pod_name} answered ${a.status}` };
  const it = item as Record<string, unknown>;
  return { state: 'present', item: it, projectId: kind.projectOf(it) };
}
