/**
 * Default policy rules in code; a policy file overrides them by name.
 *
 * The admin API needs the admin role for everything (DESIGN: "admin API requires the admin
 * role; 403 on denial"). Unlike the Python Trio2o, whose `admin_api` was `is_admin:True`
 * (reference §3.2), we check the role itself: `is_admin` there was derived from the same
 * `admin` role, and checking the role keeps the rule meaningful to operators reading it.
 * Resources and operations are listed once, so handlers can use the `AdminApiRule` type.
 */

import { COMPUTE_RULES } from './compute-rules';

/** The admin API's resources and the operations each one has. */
export const ADMIN_API_OPERATIONS = {
  pods: ['create', 'list', 'show', 'update', 'delete'],
  bindings: ['create', 'list', 'show', 'delete'],
  routings: ['list', 'show', 'delete'],
  jobs: ['list', 'show'],
} as const;

type Ops = typeof ADMIN_API_OPERATIONS;
/** A rule name such as `admin_api:pods:create`; only real resource/operation pairs type-check. */
export type AdminApiRule = { [R in keyof Ops]: `admin_api:${R}:${Ops[R][number]}` }[keyof Ops];

/** Every default rule: name → oslo.policy check string. */
export const DEFAULT_RULES: Readonly<Record<string, string>> = Object.freeze({
  context_is_admin: 'role:admin',
  admin_api: 'role:admin',
  admin_or_owner: 'is_admin:True or project_id:%(project_id)s',
  default: 'rule:admin_or_owner',
  ...COMPUTE_RULES,
  // Cinder's rule names for what the volume API owns (cinder/policies/*.py defaults).
  'volume_extension:types_manage': 'rule:context_is_admin',
  'volume_extension:volume_type_access': 'rule:context_is_admin',
  'volume_extension:volume_type_access:addProjectAccess': 'rule:context_is_admin',
  'volume_extension:volume_type_access:removeProjectAccess': 'rule:context_is_admin',
  'volume_extension:quotas:show': 'rule:admin_or_owner',
  'volume_extension:quotas:update': 'rule:context_is_admin',
  'volume_extension:quotas:delete': 'rule:context_is_admin',
  ...Object.fromEntries(
    Object.entries(ADMIN_API_OPERATIONS).flatMap(([resource, ops]) =>
      ops.map((op) => [`admin_api:${resource}:${op}`, 'rule:admin_api']),
    ),
  ),
});
