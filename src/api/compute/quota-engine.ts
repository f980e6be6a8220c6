/**
 * Nova's quota resources, their defaults (nova/conf/quota.py; the four deprecated nova-network
 * ones are always -1) and limit resolution: a user's own limit, else the project's, else the
 * default. Usage is what the gateway can count cheaply (see quotas.ts in the store): instances
 * from active server routings, cores and RAM from the flavor recorded at create, key pairs per
 * user. Server groups are not counted (they live in the pods).
 */
import type { Store } from '../../store';
import { isSupported, type Version } from '../../http';

export const QUOTA_DEFAULTS: Readonly<Record<string, number>> = Object.freeze({
  instances: 10,
  cores: 20,
  ram: 51200,
  metadata_items: 128,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  fixed_ips: -1,
  floating_ips: -1,
  security_groups: -1,
  security_group_rules: -1,
});

const NETWORK = ['fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'];
const PERSONALITY = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** Resources shown (and settable) at a microversion: 2.36 drops nova-network ones, 2.57 personality. */
export function visibleResources(v: Version): string[] {
  const hidden = new Set([...(isSupported(v, '2.36') ? NETWORK : []), ...(isSupported(v, '2.57') ? PERSONALITY : [])]);
  return Object.keys(QUOTA_DEFAULTS).filter((r) => !hidden.has(r));
}

/**
 * Where a quota class's limits are stored: beside the projects' rows, under a name no Keystone
 * project id can take (ids are hex; a colon never appears).
 */
export const quotaClassKey = (name: string) => `quota_class:${name}`;

/** A class's limits: the configured defaults ← the class's own rows (Nova's get_class_quotas). */
export async function classLimits(store: Store, name: string): Promise<Record<string, number>> {
  return { ...QUOTA_DEFAULTS, ...(await store.quotas.limits(quotaClassKey(name))) };
}

/** The defaults every project starts from: the `default` quota class, as Nova's DB driver reads them. */
export function defaultLimits(store: Store): Promise<Record<string, number>> {
  return classLimits(store, 'default');
}

/** Effective limits: defaults (the `default` class) ← project rows ← user rows (when `userId`). */
export async function effectiveLimits(store: Store, projectId: string, userId?: string): Promise<Record<string, number>> {
  const project = await store.quotas.limits(projectId);
  const user = userId ? await store.quotas.limits(projectId, userId) : {};
  return { ...(await defaultLimits(store)), ...project, ...user };
}

/** In-use counts per resource (0 where the gateway cannot count). */
export async function usage(store: Store, projectId: string, userId?: string): Promise<Record<string, number>> {
  const servers = await store.quotas.serverUsage(projectId, userId);
  const out: Record<string, number> = Object.fromEntries(Object.keys(QUOTA_DEFAULTS).map((r) => [r, 0]));
  out.instances = servers.instances;
  out.cores = servers.cores;
  out.ram = servers.ram;
  // Nova counts key pairs per user only; a project view shows 0.
  if (userId) out.key_pairs = await store.keypairs.count(userId);
  return out;
}

/** Keeps the resources visible at `v`, in Nova's order. */
export function pick(values: Record<string, number>, v: Version): Record<string, number> {
  return Object.fromEntries(visibleResources(v).map((r) => [r, values[r]!]));
}
