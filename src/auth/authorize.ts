/** Policy checks from handlers: a denial throws PolicyDeniedError, which the listener answers with a 403 in the fault shape (never 401 as the original did). */
import { PolicyDeniedError } from './policy';
import type { Authorizer, RequestContext } from './context';

export function authorize<R extends string>(policy: Authorizer<R>, auth: RequestContext, rule: NoInfer<R>, target?: Record<string, unknown>): void {
  const creds = { userId: auth.userId, projectId: auth.projectId, roles: auth.roles, isAdmin: auth.isAdmin };
  const t = target ?? { project_id: auth.projectId, user_id: auth.userId };
  if (!policy.enforce(rule, creds, t)) throw new PolicyDeniedError(rule);
}
