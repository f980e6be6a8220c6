/**
 * Nova policy rules for the compute resources the gateway answers itself, with Nova's names and
 * Nova's defaults (admin for every mutation of shared resources, §15.2.13), so an operator's
 * policy file overrides them by the names they already know.
 *
 * The shared `DEFAULT_RULES` (src/auth/policy) do not list these yet, and an unknown rule falls
 * back to `default` (admin_or_owner) — far too open for flavor-manage. So until they are merged
 * there, `computePolicy` asks the configured policy only for rules it actually defines and
 * evaluates the defaults below for the rest.
 */
import { parseRule, evaluate, DEFAULT_RULES, type Check } from '../../auth/policy';
import type { Authorizer, PolicyCreds, RequestContext } from '../../auth';
import { forbidden } from '../common';

const ADMIN = 'rule:context_is_admin';
const ANY = '@';
const ADMIN_OR_OWNER = 'rule:context_is_admin or project_id:%(project_id)s';

/** Rule name → default check string (Nova's names). */
export const COMPUTE_RULES: Readonly<Record<string, string>> = Object.freeze({
  'os_compute_api:os-flavor-manage:create': ADMIN,
  'os_compute_api:os-flavor-manage:update': ADMIN,
  'os_compute_api:os-flavor-manage:delete': ADMIN,
  'os_compute_api:os-flavor-extra-specs:index': ADMIN_OR_OWNER,
  'os_compute_api:os-flavor-extra-specs:show': ADMIN_OR_OWNER,
  'os_compute_api:os-flavor-extra-specs:create': ADMIN,
  'os_compute_api:os-flavor-extra-specs:update': ADMIN,
  'os_compute_api:os-flavor-extra-specs:delete': ADMIN,
  'os_compute_api:os-flavor-access': ADMIN,
  'os_compute_api:os-flavor-access:add_tenant_access': ADMIN,
  'os_compute_api:os-flavor-access:remove_tenant_access': ADMIN,
  'os_compute_api:os-availability-zone:list': ANY,
  'os_compute_api:os-availability-zone:detail': ADMIN,
  'os_compute_api:os-keypairs:index': 'rule:context_is_admin or user_id:%(user_id)s',
  'os_compute_api:os-keypairs:create': 'rule:context_is_admin or user_id:%(user_id)s',
  'os_compute_api:os-keypairs:show': 'rule:context_is_admin or user_id:%(user_id)s',
  'os_compute_api:os-keypairs:delete': 'rule:context_is_admin or user_id:%(user_id)s',
  ...Object.fromEntries(
    ['index', 'create', 'show', 'update', 'delete', 'add_host', 'remove_host', 'set_metadata'].map((op) => [`os_compute_api:os-aggregates:${op}`, ADMIN]),
  ),
  'os_compute_api:os-quota-sets:show': ADMIN_OR_OWNER,
  'os_compute_api:os-quota-sets:detail': ADMIN_OR_OWNER,
  'os_compute_api:os-quota-sets:defaults': ANY,
  'os_compute_api:os-quota-sets:update': ADMIN,
  'os_compute_api:os-quota-sets:delete': ADMIN,
  'os_compute_api:limits': ANY,
  'os_compute_api:limits:other_project': ADMIN,
  'os_compute_api:os-services:list': ADMIN,
  'os_compute_api:os-hypervisors:list': ADMIN,
  'os_compute_api:os-hypervisors:list-detail': ADMIN,
  'os_compute_api:os-server-external-events:create': 'rule:context_is_admin or role:service',
});

export type ComputeRule = keyof typeof COMPUTE_RULES & string;

/** An Authorizer that knows the compute defaults whatever the configured policy lists. */
export function computePolicy(configured: Authorizer): Authorizer {
  const compiled = new Map<string, Check>();
  for (const [name, text] of Object.entries({ ...DEFAULT_RULES, ...COMPUTE_RULES })) compiled.set(name, parseRule(text));
  const defines = (configured as { rules?: () => string[] }).rules;
  return {
    enforce(rule: string, creds: PolicyCreds, target?: Record<string, unknown>): boolean {
      if (!(rule in COMPUTE_RULES)) return configured.enforce(rule, creds, target);
      // Asked per call (not cached) so a policy reload that adds or drops the rule takes effect.
      if (typeof defines === 'function' && defines.call(configured).includes(rule)) return configured.enforce(rule, creds, target);
      return evaluate(compiled.get(rule)!, {
        rules: compiled,
        creds: { user_id: creds.userId ?? '', project_id: creds.projectId ?? '', roles: creds.roles, is_admin: creds.isAdmin },
        target: target ?? { project_id: creds.projectId, user_id: creds.userId },
      });
    },
  };
}

function credsOf(auth: RequestContext): PolicyCreds {
  return { userId: auth.userId, projectId: auth.projectId, roles: auth.roles, isAdmin: auth.isAdmin };
}

/** True when `rule` allows the caller; never throws. */
export function allowed(policy: Authorizer, auth: RequestContext, rule: string, target?: Record<string, unknown>): boolean {
  return policy.enforce(rule, credsOf(auth), target ?? { project_id: auth.projectId, user_id: auth.userId });
}

/** Throws Nova's 403 when `rule` denies the caller. */
export function can(policy: Authorizer, auth: RequestContext, rule: string, target?: Record<string, unknown>): void {
  if (!allowed(policy, auth, rule, target)) throw forbidden(`Policy doesn't allow ${rule} to be performed.`);
}
