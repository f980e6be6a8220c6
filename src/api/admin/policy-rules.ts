/**
 * The admin API's policy rules: every operation needs the admin role by default, through the
 * `admin_api` rule an operator can override in one place. The role itself is checked (not an
 * `is_admin` flag derived from it), so the rule reads as what it means.
 */

/** The admin API's resources and the operations each one has. */
export const ADMIN_API_OPERATIONS = {
  pods: ['create', 'list', 'show', 'update', 'delete'],
  bindings: ['create', 'list', 'show', 'delete'],
  routings: ['list', 'show', 'create', 'update', 'delete', 'prune'],
  jobs: ['list', 'show', 'retry', 'delete'],
  status: ['show'],
} as const;

type Ops = typeof ADMIN_API_OPERATIONS;
/** A rule name such as `admin_api:pods:create`; only real resource/operation pairs type-check. */
export type AdminApiRule = { [R in keyof Ops]: `admin_api:${R}:${Ops[R][number]}` }[keyof Ops];

/** `admin_api:<resource>:<op>` → `rule:admin_api` for every operation. */
export const ADMIN_RULES = Object.freeze({
  admin_api: 'role:admin',
  ...(Object.fromEntries(
    Object.entries(ADMIN_API_OPERATIONS).flatMap(([resource, ops]) => ops.map((op) => [`admin_api:${resource}:${op}`, 'rule:admin_api'])),
  ) as Record<AdminApiRule, string>),
});

/** The rule of one admin operation. */
export function adminRule<R extends keyof Ops>(resource: R, op: Ops[R][number]): AdminApiRule {
  return `admin_api:${resource}:${op}` as AdminApiRule;
}
