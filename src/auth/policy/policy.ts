/**
 * The policy enforcer: default rules from code, overridden by name from an optional file,
 * parsed once into check trees and evaluated per request.
 *
 * Semantics follow oslo.policy: role names compare case-insensitively and the default target is
 * the caller's own project and user. Only registered rules (the defaults given in code) can be
 * asked for: an unregistered name is a defect in the caller and throws PolicyNotRegisteredError,
 * as oslo.policy's `Enforcer.authorize` raises PolicyNotRegistered, instead of falling back to a
 * `default` rule that may well allow it. A policy file may add rules for other rules to refer to;
 * a file rule that is not registered and that no rule refers to is never evaluated (most likely a
 * misspelt rule name) and is reported through `onUnusedRule` at every load, as oslo.policy warns
 * about rules it cannot use instead of ignoring them silently.
 */
import { evaluate, type Check, type CredentialValues } from './check';
import { PolicyDeniedError, PolicyNotRegisteredError, PolicySyntaxError } from './errors';
import { readPolicyFile } from './file';
import { CheckSyntaxError, parseRule } from './parser';

/** Who is asking, as the auth layer established it. */
export interface PolicyCreds {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}

export interface PolicyOptions {
  /**
   * Called once per file rule that no API registered and no rule refers to, after each successful
   * load (construction and every `reload`), in file order. The server logs a warning per name.
   */
  onUnusedRule?: (name: string, file: string) => void;
}

/** @typeParam R the registered rule names */
export class Policy<R extends string = string> {
  readonly #defaults: Readonly<Record<R, string>>;
  readonly #file: string | undefined;
  readonly #onUnusedRule?: PolicyOptions['onUnusedRule'];
  #rules: ReadonlyMap<string, Check>;

  /**
   * @param defaults rule name → check string: the registered rules (usually `API_RULES`); copied
   * @param file optional YAML/JSON rules file; absent file = defaults only
   * @param options `onUnusedRule`, told about file rules that are never used
   * @throws PolicySyntaxError naming the bad rule; PolicyFileError for an unreadable/bad file
   * @example const policy = new Policy(API_RULES, config.DEFAULT.policy_file, { onUnusedRule: (name) => log.warn(...) });
   */
  constructor(defaults: Readonly<Record<R, string>>, file?: string, options: PolicyOptions = {}) {
    this.#defaults = { ...defaults };
    this.#file = file;
    this.#onUnusedRule = options.onUnusedRule;
    this.#rules = this.#load();
  }

  /**
   * Re-read the file (e.g. on SIGHUP). On any error the previous rules stay in force and the
   * error is thrown, so a half-edited file never opens or closes the API by accident.
   */
  reload(): void {
    this.#rules = this.#load();
  }

  /** Names of all rules in force (defaults plus file), sorted. */
  rules(): string[] {
    return [...this.#rules.keys()].sort();
  }

  /**
   * Evaluate a rule. Never throws for a denial.
   * @param rule a registered rule name, e.g. `admin_api:pods:create`
   * @param target the object acted on; defaults to `{ project_id, user_id }` of the caller
   * @throws PolicyNotRegisteredError for a name that is not registered
   */
  enforce(rule: R, creds: PolicyCreds, target?: Record<string, unknown>): boolean {
    if (!Object.hasOwn(this.#defaults, rule)) throw new PolicyNotRegisteredError(rule);
    const check = this.#rules.get(rule);
    if (!check) return false;
    const values: CredentialValues = {
      user_id: creds.userId,
      project_id: creds.projectId,
      roles: creds.roles,
      is_admin: creds.isAdmin,
    };
    return evaluate(check, {
      rules: this.#rules,
      creds: values,
      target: target ?? { project_id: creds.projectId, user_id: creds.userId },
    });
  }

  /**
   * Like `enforce`, but a denial throws.
   * @throws PolicyDeniedError (code TRIO2O_POLICY_DENIED) carrying the rule name
   */
  authorize(rule: R, creds: PolicyCreds, target?: Record<string, unknown>): void {
    if (!this.enforce(rule, creds, target)) throw new PolicyDeniedError(rule);
  }

  #load(): ReadonlyMap<string, Check> {
    const rules = new Map<string, Check>();
    for (const [name, text] of Object.entries(this.#defaults)) rules.set(name, compile(name, text));
    const overrides = this.#file === undefined ? undefined : readPolicyFile(this.#file);
    for (const [name, raw] of Object.entries(overrides ?? {})) rules.set(name, compile(name, raw, this.#file));
    assertAcyclic(rules, this.#file);
    if (overrides && this.#onUnusedRule) {
      const referred = new Set([...rules.values()].flatMap(references));
      for (const name of Object.keys(overrides)) {
        if (!Object.hasOwn(this.#defaults, name) && !referred.has(name)) this.#onUnusedRule(name, this.#file!);
      }
    }
    return rules;
  }
}

function compile(name: string, raw: unknown, source?: string): Check {
  try {
    return parseRule(raw);
  } catch (err) {
    if (err instanceof CheckSyntaxError) throw new PolicySyntaxError(name, err.message, source);
    throw err;
  }
}

/**
 * `a: rule:b` with `b: rule:a` would recurse forever at request time; refuse it at load time.
 * Depth-first search with the usual white/grey/black marking.
 */
function assertAcyclic(rules: ReadonlyMap<string, Check>, source?: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new PolicySyntaxError(name, `rules reference each other in a cycle: ${cycle.join(' -> ')}`, source);
    }
    const check = rules.get(name);
    if (!check) return;
    state.set(name, 'visiting');
    for (const ref of references(check)) visit(ref, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of rules.keys()) visit(name, []);
}

function references(check: Check): string[] {
  switch (check.kind) {
    case 'rule':
      return [check.name];
    case 'and':
    case 'or':
      return check.checks.flatMap(references);
    case 'not':
      return references(check.check);
    default:
      return [];
  }
}
