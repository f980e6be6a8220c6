/**
 * Policy: oslo.policy-style rules (check strings, YAML/JSON file overrides) for authorising
 * API operations. Each API registers its rules and their defaults; a file overrides them by name.
 */
export { Policy, type PolicyCreds, type PolicyOptions } from './policy';
export { BASE_RULES } from './defaults';
export { PolicyError, PolicyDeniedError, PolicyNotRegisteredError, PolicySyntaxError, PolicyFileError, type PolicyErrorCode } from './errors';
export { parseRule, parseCheckString, parseListRule, CheckSyntaxError } from './parser';
export { evaluate, type Check, type Template, type CredentialValues, type EvalContext } from './check';
export { readPolicyFile } from './file';
