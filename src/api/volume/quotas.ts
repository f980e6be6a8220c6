/**
 * Volume quotas and limits kept at the top
 * (https://docs.openstack.org/api-ref/block-storage/v3/#quota-sets-extension-os-quota-sets):
 * `os-quota-sets` shows and (admins) sets a project's limits in the state store, `limits` shows
 * them with the usage the gateway enforces them against (volume-quota.ts: counted from the
 * routing table and the recorded sizes). `os-quota-class-sets` (admin) keeps quota classes; the
 * `default` class is what every project's defaults are, as in Cinder.
 */
import type { Context } from 'hono';
import { authorize } from '../../auth';
import { boolFromString, readJson, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { storeWrite } from '../common';
import { quotaSetUpdate } from './schemas';
import { builtIn, classLimits, defaults, limitsOf } from './quota-limits';
import { quotaUsage, USED_FIELDS } from './volume-quota';
import { checkBody } from './validation';

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

export async function showQuotas(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const target = c.req.param('target')!;
  authorize(deps.policy, c.get('auth'), 'volume_extension:quotas:show', { project_id: target });
  const limits = await limitsOf(deps, target);
  if (boolFromString(c.req.query('usage') ?? '') !== true) return c.json({ quota_set: { id: target, ...limits } });
  const used = quotaUsage(await deps.store.volumeUsage.usage(target));
  const detail: Record<string, unknown> = { id: target };
  for (const [k, limit] of Object.entries(limits)) {
    detail[k] = { limit, in_use: used[k] ?? 0, reserved: 0, allocated: 0 };
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
  const [q, usage] = await Promise.all([limitsOf(deps, projectId), deps.store.volumeUsage.usage(projectId)]);
  const used = quotaUsage(usage);
  const absolute: Record<string, number> = {
    maxTotalVolumes: q.volumes!,
    maxTotalSnapshots: q.snapshots!,
    maxTotalVolumeGigabytes: q.gigabytes!,
    maxTotalBackups: q.backups!,
    maxTotalBackupGigabytes: q.backup_gigabytes!,
  };
  for (const [resource, field] of Object.entries(USED_FIELDS)) absolute[field] = used[resource]!;
  return c.json({ limits: { rate: [], absolute } });
}

