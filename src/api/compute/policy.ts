/**
 * Policy checks for the compute resources the gateway answers itself, by Nova's rule names
 * (policy-rules.ts), so an operator's policy file overrides them by the names they know.
 */
import { authorize, type Authorizer, type PolicyCreds, type RequestContext } from '../../auth';
import type { ComputeRule } from './policy-rules';

export { COMPUTE_RULES, type ComputeRule } from './policy-rules';

function credsOf(auth: RequestContext): PolicyCreds {
  return { userId: auth.userId, projectId: auth.projectId, roles: auth.roles, isAdmin: auth.isAdmin };
}

/** True when `rule` allows the caller; never throws for a denial. */
export function allowed(policy: Authorizer<ComputeRule>, auth: RequestContext, rule: ComputeRule, target?: Record<string, unknown>): boolean {
  return policy.enforce(rule, credsOf(auth), target ?? { project_id: auth.projectId, user_id: auth.userId });
}

/** Throws PolicyDeniedError (Nova's 403) when `rule` denies the caller. */
export function can(policy: Authorizer<ComputeRule>, auth: RequestContext, rule: ComputeRule, target?: Record<string, unknown>): void {
  authorize(policy, auth, rule, target);
}
