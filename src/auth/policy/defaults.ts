/**
 * The generic rules that API rules refer to (oslo.policy's customary names). Each API registers
 * its own rules beside its handlers; the policy is built from all of them.
 */
export const BASE_RULES = Object.freeze({
  context_is_admin: 'role:admin',
  admin_or_owner: 'is_admin:True or project_id:%(project_id)s',
} as const);
