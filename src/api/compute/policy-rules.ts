/**
 * Nova's policy rule names and defaults (nova/policies/*.py) for the compute resources the
 * gateway answers itself (flavors, keypairs, aggregates, quotas, AZs, services, hypervisors,
 * external events): admin for every mutation of a resource shared by all projects. Operators
 * override them by the names they know from Nova.
 */
const ADMIN = 'rule:context_is_admin';
const ANY = '@';
const ADMIN_OR_OWNER = 'rule:context_is_admin or project_id:%(project_id)s';

/** Rule name → default check string (Nova's names). */
export const COMPUTE_RULES = Object.freeze({
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
  'os_compute_api:os-aggregates:index': ADMIN,
  'os_compute_api:os-aggregates:create': ADMIN,
  'os_compute_api:os-aggregates:show': ADMIN,
  'os_compute_api:os-aggregates:update': ADMIN,
  'os_compute_api:os-aggregates:delete': ADMIN,
  'os_compute_api:os-aggregates:add_host': ADMIN,
  'os_compute_api:os-aggregates:remove_host': ADMIN,
  'os_compute_api:os-aggregates:set_metadata': ADMIN,
  'os_compute_api:os-quota-sets:show': ADMIN_OR_OWNER,
  'os_compute_api:os-quota-sets:detail': ADMIN_OR_OWNER,
  'os_compute_api:os-quota-sets:defaults': ANY,
  'os_compute_api:os-quota-sets:update': ADMIN,
  'os_compute_api:os-quota-sets:delete': ADMIN,
  'os_compute_api:os-quota-class-sets:show': ADMIN,
  'os_compute_api:os-quota-class-sets:update': ADMIN,
  'os_compute_api:limits': ANY,
  'os_compute_api:limits:other_project': ADMIN,
  'os_compute_api:os-services:list': ADMIN,
  'os_compute_api:os-hypervisors:list': ADMIN,
  'os_compute_api:os-hypervisors:list-detail': ADMIN,
  'os_compute_api:os-hypervisors:show': ADMIN,
  'os_compute_api:os-hypervisors:statistics': ADMIN,
  'os_compute_api:os-hypervisors:uptime': ADMIN,
  'os_compute_api:os-hypervisors:search': ADMIN,
  'os_compute_api:os-hypervisors:servers': ADMIN,
  'os_compute_api:os-migrations:index': ADMIN,
  'os_compute_api:os-instance-usage-audit-log:list': ADMIN,
  'os_compute_api:os-instance-usage-audit-log:show': ADMIN,
  'os_compute_api:os-console-auth-tokens': ADMIN,
  'os_compute_api:os-services:update': ADMIN,
  'os_compute_api:os-hosts:list': ADMIN,
  'os_compute_api:os-hosts:show': ADMIN,
  'os_compute_api:os-hosts:update': ADMIN,
  'os_compute_api:os-hosts:start': ADMIN,
  'os_compute_api:os-hosts:shutdown': ADMIN,
  'os_compute_api:os-hosts:reboot': ADMIN,
  'os_compute_api:os-services:delete': ADMIN,
  'os_compute_api:os-server-groups:index:all_projects': ADMIN,
  'os_compute_api:os-simple-tenant-usage:list': ADMIN,
  'os_compute_api:os-simple-tenant-usage:show': ADMIN_OR_OWNER,
  'os_compute_api:os-assisted-volume-snapshots:create': 'rule:context_is_admin or role:service',
  'os_compute_api:os-assisted-volume-snapshots:delete': 'rule:context_is_admin or role:service',
  'os_compute_api:os-server-external-events:create': 'rule:context_is_admin or role:service',
} as const);

/** A compute rule name: only registered names type-check. */
export type ComputeRule = keyof typeof COMPUTE_RULES;

