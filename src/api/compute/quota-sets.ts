/**
 * `os-quota-sets/{tenant_id}[/defaults|/detail]` and `limits`, stored at the top and answered as
 * Nova answers them (https://docs.openstack.org/api-ref/compute/#quota-sets-os-quota-sets): Nova's
 * policies — a member sees only their own project, changes are admin only and refused with 403, not
 * the original's 409 — and Nova's shapes per microversion: 2.36 drops the nova-network quotas, 2.57
 * the personality ones; limits also drop maxImageMeta at 2.39. `?user_id=` selects Nova's per-user
 * limits.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { badRequest, isSupported, readJson, validate } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { intLike, novaBoolean } from './params';
import { can } from './policy';
import { defaultLimits, effectiveLimits, quotaClassKey, pick, usage, visibleResources } from './quota-engine';
import { storeWrite } from '../common';

function tenant(c: Context<ComputeEnv>): string {
  const t = c.req.param('tenant_id')!;
  // Quota classes are stored beside projects under this prefix; a project URL must not reach them.
  if (t.startsWith(quotaClassKey(''))) throw badRequest(`Invalid project id ${t}`);
  return t;
}
const userOf = (c: Context<ComputeEnv>) => c.req.query('user_id') || undefined;

export async function quotaShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const t = tenant(c);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-sets:show', { project_id: t });
  const limits = await effectiveLimits(deps.store, t, userOf(c));
  return c.json({ quota_set: { id: t, ...pick(limits, c.get('apiVersion')) } });
}

export async function quotaDefaults(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const t = tenant(c);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-sets:defaults', { project_id: t });
  return c.json({ quota_set: { id: t, ...pick(await defaultLimits(deps.store), c.get('apiVersion')) } });
}

export async function quotaDetail(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const t = tenant(c);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-sets:detail', { project_id: t });
  const user = userOf(c);
  const [limits, used] = await Promise.all([effectiveLimits(deps.store, t, user), usage(deps.store, t, user)]);
  const detail: Record<string, unknown> = { id: t };
  for (const r of visibleResources(c.get('apiVersion'))) detail[r] = { in_use: used[r], limit: limits[r], reserved: 0 };
  return c.json({ quota_set: detail });
}

function updateSchema(c: Context<ComputeEnv>) {
  const entries: Record<string, v.GenericSchema> = { force: v.optional(novaBoolean) };
  for (const r of visibleResources(c.get('apiVersion'))) entries[r] = v.optional(intLike(-1));
  return v.strictObject({ quota_set: v.strictObject(entries) });
}

const inf = (n: number) => (n === -1 ? Infinity : n);

export async function quotaUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const t = tenant(c);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-sets:update', { project_id: t });
  const { quota_set: qs } = validate(updateSchema(c), await readJson(c)) as { quota_set: Record<string, unknown> };
  const user = userOf(c);
  const values = Object.fromEntries(Object.entries(qs).filter(([k, val]) => k !== 'force' && val !== undefined)) as Record<string, number>;
  if (qs.force !== true) {
    const used = await usage(deps.store, t, user);
    const projectLimits = user ? await effectiveLimits(deps.store, t) : undefined;
    for (const [r, limit] of Object.entries(values)) {
      if (inf(limit) < used[r]!) {
        throw badRequest(`Quota limit ${limit} for ${r} must be greater than or equal to already used and reserved ${used[r]}.`);
      }
      if (projectLimits && inf(limit) > inf(projectLimits[r]!)) {
        throw badRequest(`Quota limit ${limit} for ${r} must be less than or equal to ${projectLimits[r]}.`);
      }
    }
  }
  await storeWrite(() => deps.store.quotas.set(t, user ?? '', values));
  return c.json({ quota_set: pick(await effectiveLimits(deps.store, t, user), c.get('apiVersion')) });
}

export async function quotaDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const t = tenant(c);
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-sets:delete', { project_id: t });
  await storeWrite(() => deps.store.quotas.clear(t, userOf(c) ?? ''));
  return c.body(null, 202);
}

/** Absolute limit names (Nova's views/limits.py), in Nova's order. */
const LIMIT_NAMES: [string, string][] = [
  ['ram', 'maxTotalRAMSize'],
  ['instances', 'maxTotalInstances'],
  ['cores', 'maxTotalCores'],
  ['key_pairs', 'maxTotalKeypairs'],
  ['floating_ips', 'maxTotalFloatingIps'],
  ['metadata_items', 'maxServerMeta'],
  ['metadata_items', 'maxImageMeta'],
  ['injected_files', 'maxPersonality'],
  ['injected_file_content_bytes', 'maxPersonalitySize'],
  ['security_groups', 'maxSecurityGroups'],
  ['security_group_rules', 'maxSecurityGroupRules'],
  ['server_groups', 'maxServerGroups'],
  ['server_group_members', 'maxServerGroupMembers'],
];
const USED_NAMES: [string, string][] = [
  ['ram', 'totalRAMUsed'],
  ['cores', 'totalCoresUsed'],
  ['instances', 'totalInstancesUsed'],
  ['floating_ips', 'totalFloatingIpsUsed'],
  ['security_groups', 'totalSecurityGroupsUsed'],
  ['server_groups', 'totalServerGroupsUsed'],
];
/** Limits hidden per microversion (Nova's FILTERED_LIMITS_v236 / v257). */
const LIMITS_HIDDEN_2_36 = ['floating_ips', 'security_groups', 'security_group_rules'];
const LIMITS_HIDDEN_2_57 = [...LIMITS_HIDDEN_2_36, 'injected_files', 'injected_file_content_bytes'];

export async function limitsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const auth = c.get('auth');
  can(deps.policy, auth, 'os_compute_api:limits', {});
  let project = c.get('projectId');
  const asked = c.req.query('tenant_id');
  if (asked !== undefined) {
    can(deps.policy, auth, 'os_compute_api:limits:other_project', { project_id: asked });
    project = asked;
  }
  const ver = c.get('apiVersion');
  const hidden = new Set(isSupported(ver, '2.57') ? LIMITS_HIDDEN_2_57 : isSupported(ver, '2.36') ? LIMITS_HIDDEN_2_36 : []);
  const [limits, used] = await Promise.all([effectiveLimits(deps.store, project), usage(deps.store, project)]);
  const absolute: Record<string, number> = {};
  for (const [res, name] of LIMIT_NAMES) {
    if (hidden.has(res) || (name === 'maxImageMeta' && isSupported(ver, '2.39'))) continue;
    absolute[name] = limits[res]!;
  }
  for (const [res, name] of USED_NAMES) if (!hidden.has(res)) absolute[name] = used[res]!;
  return c.json({ limits: { rate: [], absolute } });
}
