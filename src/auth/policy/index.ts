/**
 * Policy: oslo.policy-style rules (check strings, YAML/JSON file overrides) for authorising
 * API operations; defaults in code make the admin API admin-only.
 */
export { Policy, DEFAULT_RULE_NAME, type PolicyCreds } from './policy';
export { DEFAULT_RULES, ADMIN_API_OPERATIONS, type AdminApiRule } from './defaults';
export { PolicyError, PolicyDeniedError, PolicySyntaxError, PolicyFileError, type PolicyErrorCode } from './errors';
export { parseRule, parseCheckString, parseListRule, CheckSyntaxError } from './parser';
export { evaluate, type Check, type Template, type CredentialValues, type EvalContext } from './check';
export { readPolicyFile } from './file';
