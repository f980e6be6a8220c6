/**
 * Policy errors: one base class with a literal `code`, so callers can `switch` on it.
 * A denial becomes a 403 `forbidden` fault where the API renders errors; syntax and file errors
 * stop start-up (or a reload, which keeps the previous rules).
 */

export type PolicyErrorCode =
  /** `authorize` refused: the rule evaluated to false. */
  | 'TRIO2O_POLICY_DENIED'
  /** A rule name no API registered was asked for: a defect in the caller, never allowed. */
  | 'TRIO2O_POLICY_NOT_REGISTERED'
  /** A check string (or list rule) does not parse, or rules reference each other in a cycle. */
  | 'TRIO2O_POLICY_SYNTAX'
  /** The policy file cannot be read or is not a YAML/JSON mapping of rules. */
  | 'TRIO2O_POLICY_FILE';

export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  constructor(code: PolicyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Thrown by `Policy.authorize`; `rule` is the rule that was asked for (not its fallback). */
export class PolicyDeniedError extends PolicyError {
  override readonly code = 'TRIO2O_POLICY_DENIED' as const;
  readonly rule: string;
  constructor(rule: string) {
    // Nova's wording, so clients see the message they already know.
    super('TRIO2O_POLICY_DENIED', `Policy doesn't allow ${rule} to be performed.`);
    this.rule = rule;
  }
}

/** Thrown by `Policy.enforce` for a rule name that is not registered (oslo.policy's PolicyNotRegistered). */
export class PolicyNotRegisteredError extends PolicyError {
  override readonly code = 'TRIO2O_POLICY_NOT_REGISTERED' as const;
  readonly rule: string;
  constructor(rule: string) {
    super('TRIO2O_POLICY_NOT_REGISTERED', `Policy ${rule} has not been registered`);
    this.rule = rule;
  }
}

/** A bad check string; the message names the rule and, when it came from a file, the file. */
export class PolicySyntaxError extends PolicyError {
  override readonly code = 'TRIO2O_POLICY_SYNTAX' as const;
  readonly rule: string;
  constructor(rule: string, detail: string, source?: string) {
    super('TRIO2O_POLICY_SYNTAX', `policy rule "${rule}"${source ? ` in ${source}` : ''}: ${detail}`);
    this.rule = rule;
  }
}

/** The file itself is unreadable or has the wrong shape. */
export class PolicyFileError extends PolicyError {
  override readonly code = 'TRIO2O_POLICY_FILE' as const;
  readonly file: string;
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('TRIO2O_POLICY_FILE', `policy file ${file}: ${detail}`, options);
    this.file = file;
  }
}
