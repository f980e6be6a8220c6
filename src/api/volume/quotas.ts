/**
 * Volume quotas and limits kept at the top
 * (https://docs.openstack.org/api-ref/block-storage/v3/#quota-sets-extension-os-quota-sets):
 * `os-quota-sets` shows and (admins) sets a project's limits in the state store, `limits` shows
 * them with the usage added up from the pods. `os-quota-class-sets` (admin) keeps quota classes;
 * the `default` class is what every project's defaults are, as in Cinder. Limits are reported, not enforced at the gateway
 * (the gateway keeps no volume sizes); the pods enforce their own quotas.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import { boolFromString, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { storeWrite } from '../common';
import { quotaSetUpdate } from './schemas';
import { projectUsage, USED_FIELDS } from './usage';
import { checkBody } from './validation';

/** Cinder's default quotas (cinder/quota.py quota_* options). */
export const DEFAULT_VOLUME_QUOTAS: Readonly<Record<string, number>> = {
  volumes: 10,
  snapshots: 10,
  gigabytes: 1000,
  backups: 10,
  backup_gigabytes: 1000,
  per_volume_gigabytes: -1,
  groups: 10,
};

/** Cinder's built-in defaults plus its per-type resources (`volumes_<type>` ...), unlimited. */
async function builtIn(deps: VolumeDeps): Promise<Record<string, number>> {
  const out = { ...DEFAULT_VOLUME_QUOTAS };
  for (const t of await deps.store.volumeTypes.list()) {
    for (const r of ['volumes', 'gigabytes', 'snapshots']) out[`${r}_${t.name}`] = -1;
  }
  return out;
}

/**
 * A quota class's limits: what an admin set for the class, else the `default` class's, else the
 * built-in defaults (cinder/quota.py DbQuotaDriver.get_class_quotas with defaults).
 */
async function classLimits(deps: VolumeDeps, name: string): Promise<Record<string, number>> {
  const out = await builtIn(deps);
  const classes = name === DEFAULT_QUOTA_CLASS ? [DEFAULT_QUOTA_CLASS] : [DEFAULT_QUOTA_CLASS, name];
  for (const cls of classes) {
    const set = (await deps.store.catalogItems.get<Record<string, number>>('quota_class', cls))?.body ?? {};
    for (const k of Object.keys(out)) if (Object.hasOwn(set, k)) out[k] = set[k]!;
  }
  return out;
}

/** The defaults every project starts from: the `default` quota class (cinder/quota.py). */
function defaults(deps: VolumeDeps): Promise<Record<string, number>> {
  return classLimits(deps, DEFAULT_QUOTA_CLASS);
}

const DEFAULT_QUOTA_CLASS = 'default';

/** `GET /os-quota-class-sets/{class}` (admin): the class's limits. */
export async function showQuotaClass(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:quota_classes:get');
  const name = c.req.param('class')!;
  return c.json({ quota_class_set: { id: name, ...(await classLimits(deps, name)) } });
}

/** `PUT /os-quota-class-sets/{class}` (admin); the `default` class changes every project's defaults. */
export async function updateQuotaClass(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:quota_classes:update');
  const name = c.req.param('class')!;
  const changes = checkBody(quotaSetUpdate(new Set(Object.keys(await builtIn(deps))), 'quota_class_set'), await readJson(c));
  const before = (await deps.store.catalogItems.get<Record<string, number>>('quota_class', name))?.body ?? {};
  await storeWrite(() => deps.store.catalogItems.put<Record<string, number>>('quota_class', name, { ...before, ...changes }));
  return c.json({ quota_class_set: await classLimits(deps, name) });
}

async function limitsOf(deps: VolumeDeps, projectId: string): Promise<Record<string, number>> {
  const base = await defaults(deps);
  const set = await deps.store.volumeQuotas.get(projectId);
  for (const k of Object.keys(base)) if (Object.hasOwn(set, k)) base[k] = set[k]!;
  return base;
}

export async function showQuotas(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const target = c.req.param('target')!;
  authorize(deps.policy, c.get('auth'), 'volume_extension:quotas:show', { project_id: target });
  const limits = await limitsOf(deps, target);
  if (boolFromString(c.req.query('usage') ?? '') !== true) return c.json({ quota_set: { id: target, ...limits } });
  const used = await projectUsage(deps, c, target);
  const detail: Record<string, unknown> = { id: target };
  for (const [k, limit] of Object.entries(limits)) {
    detail[k] = { limit, in_use: (used as Record<string, number>)[k] ?? 0, reserved: 0, allocated: 0 };
  }
  return c.json({ quota_set: detail });
}

export async function defaultQuotas(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  return c.json({ quota_set: { id: c.req.param('target')!, ...(await defaults(deps)) } });
}

export async function updateQuotas(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:quotas:update');
  const target = c.req.param('target')!;
  const body = await readJson(c);
  const changes = checkBody(quotaSetUpdate(new Set(Object.keys(await builtIn(deps)))), body);
  await storeWrite(() => deps.store.volumeQuotas.set(target, changes));
  return c.json({ quota_set: await limitsOf(deps, target) });
}

export async function deleteQuotas(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  authorize(deps.policy, c.get('auth'), 'volume_extension:quotas:delete');
  await storeWrite(() => deps.store.volumeQuotas.reset(c.req.param('target')!));
  return c.body(null, 200);
}

/** `GET /limits`: the caller's project; rate limits are not a thing in Cinder v3 (empty list). */
export async function showLimits(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const projectId = c.get('projectId');
  const [q, used] = await Promise.all([limitsOf(deps, projectId), projectUsage(deps, c, projectId)]);
  const absolute: Record<string, number> = {
    maxTotalVolumes: q.volumes!,
    maxTotalSnapshots: q.snapshots!,
    maxTotalVolumeGigabytes: q.gigabytes!,
    maxTotalBackups: q.backups!,
    maxTotalBackupGigabytes: q.backup_gigabytes!,
  };
  for (const [resource, field] of Object.entries(USED_FIELDS)) absolute[field] = used[resource as keyof typeof used];
  return c.json({ limits: { rate: [], absolute } });
}

