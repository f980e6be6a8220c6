/**
 * Every policy rule the gateway registers: the generic rules other rules refer to, and each
 * API's own (admin, compute, volume). The policy enforcer is built from this table; a rule name
 * not in it is refused, as oslo.policy's `authorize` refuses an unregistered rule.
 */
import { BASE_RULES } from '../auth/policy';
import { ADMIN_RULES } from './admin/policy-rules';
import { COMPUTE_RULES } from './compute/policy-rules';
import { VOLUME_RULES } from './volume/policy-rules';

export const API_RULES = Object.freeze({ ...BASE_RULES, ...ADMIN_RULES, ...COMPUTE_RULES, ...VOLUME_RULES });

/** Any registered rule name. */
export type ApiRule = keyof typeof API_RULES;
