/**
 * `os-quota-class-sets/{id}` (admin; https://docs.openstack.org/api-ref/compute/#quota-class-sets-os-quota-class-sets),
 * owned by the gateway like the quota sets: the `default` class is the defaults every project's
 * limits start from (as Nova's database quota driver reads them), other class names are stored
 * and shown but used by nothing, as in Nova. The pods keep their own quota classes; the gateway
 * enforces its limits before a create reaches a pod. Shapes per microversion (quota_classes.py):
 * below 2.50 without the server group quotas, 2.50 drops the nova-network ones, 2.57 personality.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { badRequest, isSupported, readJson, validate } from '../../http';
import { storeWrite } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { intLike } from './params';
import { can } from './policy';
import { classLimits, QUOTA_DEFAULTS, quotaClassKey } from './quota-engine';

const NETWORK = ['fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'];
const PERSONALITY = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];
const SERVER_GROUPS = ['server_groups', 'server_group_members'];

function classResources(c: Context<ComputeEnv>): string[] {
  const v = c.get('apiVersion');
  const hidden = new Set(isSupported(v, '2.57') ? [...NETWORK, ...PERSONALITY] : isSupported(v, '2.50') ? NETWORK : SERVER_GROUPS);
  return Object.keys(QUOTA_DEFAULTS).filter((r) => !hidden.has(r));
}

const view = (c: Context<ComputeEnv>, values: Record<string, number>) => Object.fromEntries(classResources(c).map((r) => [r, values[r]!]));

export async function quotaClassShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-class-sets:show', {});
  const id = c.req.param('id')!;
  return c.json({ quota_class_set: { id, ...view(c, await classLimits(deps.store, id)) } });
}

export async function quotaClassUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-quota-class-sets:update', {});
  const id = c.req.param('id')!;
  if (id.length < 1 || id.length > 255) throw badRequest(`Invalid input received: quota_class_name has a length of ${id.length}; it must be between 1 and 255 characters.`);
  const entries: Record<string, v.GenericSchema> = {};
  for (const r of classResources(c)) entries[r] = v.optional(intLike(-1));
  const { quota_class_set: qs } = validate(v.strictObject({ quota_class_set: v.strictObject(entries) }), await readJson(c)) as { quota_class_set: Record<string, number | undefined> };
  const values = Object.fromEntries(Object.entries(qs).filter(([, n]) => n !== undefined)) as Record<string, number>;
  await storeWrite(() => deps.store.quotas.set(quotaClassKey(id), '', values));
  return c.json({ quota_class_set: view(c, await classLimits(deps.store, id)) });
}
