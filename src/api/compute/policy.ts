/**
 * Policy checks for the compute resources the gateway answers itself. The rules carry Nova's
 * names and defaults (src/auth/policy/compute-rules.ts, part of DEFAULT_RULES), so an operator's
 * policy file overrides them by the names they already know.
 */
import { authorize, type Authorizer, type PolicyCreds, type RequestContext } from '../../auth';

export { COMPUTE_RULES } from '../../auth/policy/compute-rules';
import { COMPUTE_RULES } from '../../auth/policy/compute-rules';

export type ComputeRule = keyof typeof COMPUTE_RULES & string;

function credsOf(auth: RequestContext): PolicyCreds {
  return { userId: auth.userId, projectId: auth.projectId, roles: auth.roles, isAdmin: auth.isAdmin };
}

/** True when `rule` allows the caller; never throws. */
export function allowed(policy: Authorizer, auth: RequestContext, rule: string, target?: Record<string, unknown>): boolean {
  return policy.enforce(rule, credsOf(auth), target ?? { project_id: auth.projectId, user_id: auth.userId });
}

/** Throws Nova's 403 when `rule` denies the caller (the shared `authorize`). */
export const can = authorize;
