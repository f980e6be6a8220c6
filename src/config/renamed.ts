/**
 * Option names of the Python Trio2o's trio2o.conf and what replaced them, so an operator
 * carrying an old trio2o.conf over gets "use [keystone] username instead" rather than a bare
 * "unknown key" (the way undici says "unsupported idleTimeout, use keepAliveTimeout instead").
 */

/** `section.key` of an old option → the advice printed with the error. */
export const RENAMED_OPTIONS: Readonly<Record<string, string>> = {
  'DEFAULT.bind_port': 'use [admin_api] port, [compute_api] port and [volume_api] port instead',
  'DEFAULT.api_workers': 'use [DEFAULT] workers instead (one process serves all three APIs; workers sets how many such processes)',
  'DEFAULT.trio2o_db_connection': 'use [database] url instead',
  'DEFAULT.pagination_max_limit': 'use [api] max_limit instead',
  'client.auth_url': 'use [keystone] auth_url instead',
  'client.identity_url': 'use [keystone] auth_url instead',
  'client.top_pod_name': 'use [keystone] top_region_name instead',
  'client.admin_username': 'use [keystone] username instead',
  'client.admin_password': 'use [keystone] password instead',
  'client.admin_tenant': 'use [keystone] project_name instead',
  'client.admin_user_domain_name': 'use [keystone] user_domain_name instead',
  'client.admin_tenant_domain_name': 'use [keystone] project_domain_name instead',
  'client.nova_timeout': 'use [pods] request_timeout instead',
  'client.cinder_timeout': 'use [pods] request_timeout instead',
  'oslo_policy.policy_file': 'use [DEFAULT] policy_file instead',
};
