/**
 * The parsed form of a policy rule and its evaluation.
 *
 * Rules are parsed once (parser.ts) into this small tree; evaluating it is a walk with no
 * string parsing, so a policy check on every admin request costs well under a microsecond.
 * Semantics follow oslo.policy's checks (TrueCheck, FalseCheck, AndCheck, OrCheck, NotCheck,
 * RuleCheck, RoleCheck, GenericCheck), with one deliberate difference noted on `resolve`.
 */

/** A `%(key)s` template: literal text and target lookups, pre-split at parse time. */
export type Template = readonly (string | { readonly key: string })[];

export type Check =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly checks: readonly Check[] }
  | { readonly kind: 'or'; readonly checks: readonly Check[] }
  | { readonly kind: 'not'; readonly check: Check }
  /** `rule:<name>`: another rule by name; an unknown name is false (as in oslo). */
  | { readonly kind: 'rule'; readonly name: string }
  /** `role:<name>`: the credentials hold that role, compared case-insensitively. */
  | { readonly kind: 'role'; readonly match: Template }
  /** `<attr>:<match>`: a credential attribute (dotted path) equals the (substituted) match. */
  | { readonly kind: 'generic'; readonly attr: readonly string[]; readonly match: Template }
  /** `'<literal>':<match>`: a quoted literal equals the substituted match. */
  | { readonly kind: 'literal'; readonly value: string; readonly match: Template };

/** Credentials as oslo names them in check strings (`project_id`, `is_admin`, ...). */
export type CredentialValues = Readonly<Record<string, unknown>>;

/** Everything an evaluation needs besides the tree. */
export interface EvalContext {
  readonly rules: ReadonlyMap<string, Check>;
  readonly creds: CredentialValues;
  readonly target: Readonly<Record<string, unknown>>;
}

export const TRUE_CHECK: Check = { kind: 'true' };
export const FALSE_CHECK: Check = { kind: 'false' };

/** Evaluate a parsed rule. Rules are checked acyclic when loaded, so recursion ends. */
export function evaluate(check: Check, ctx: EvalContext): boolean {
  switch (check.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return check.checks.every((c) => evaluate(c, ctx));
    case 'or':
      return check.checks.some((c) => evaluate(c, ctx));
    case 'not':
      return !evaluate(check.check, ctx);
    case 'rule': {
      const rule = ctx.rules.get(check.name);
      return rule !== undefined && evaluate(rule, ctx);
    }
    case 'role': {
      const match = substitute(check.match, ctx.target);
      if (match === undefined) return false;
      const wanted = match.toLowerCase();
      const roles = ctx.creds.roles;
      return Array.isArray(roles) && roles.some((r) => typeof r === 'string' && r.toLowerCase() === wanted);
    }
    case 'generic': {
      const match = substitute(check.match, ctx.target);
      return match !== undefined && matches(ctx.creds, check.attr, 0, match);
    }
    case 'literal': {
      const match = substitute(check.match, ctx.target);
      return match !== undefined && match === check.value;
    }
  }
}

/**
 * Fill a template from the target. A missing key gives `undefined` (oslo: KeyError → false).
 * Deliberately unlike Python's `%` formatting, a null/undefined value also gives `undefined`:
 * in oslo `project_id:%(project_id)s` with target None and a credential None compares
 * 'None' == 'None' and passes, which would let an unscoped token through.
 */
function substitute(template: Template, target: Readonly<Record<string, unknown>>): string | undefined {
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = resolve(target, part.key);
    if (value === undefined || value === null || typeof value === 'object') return undefined;
    out += pyStr(value);
  }
  return out;
}

/** `a.b` is first an exact key (oslo flattens nested targets to dotted keys), then a path. */
function resolve(target: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(target, key)) return target[key];
  let value: unknown = target;
  for (const segment of key.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Walk a credential path; a list matches when any element does (oslo `_find_in_dict`). */
function matches(value: unknown, path: readonly string[], i: number, match: string): boolean {
  if (Array.isArray(value)) return value.some((v) => matches(v, path, i, match));
  if (i === path.length) return leafEquals(value, match);
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, path[i]!)) return false;
  return matches((value as Record<string, unknown>)[path[i]!], path, i + 1, match);
}

function leafEquals(value: unknown, match: string): boolean {
  if (value === undefined || value === null || typeof value === 'object') return false;
  // oslo compares str(True) == 'True'; we also accept 'true', since operators write both.
  if (typeof value === 'boolean') return match.toLowerCase() === String(value);
  return pyStr(value) === match;
}

/** Python's str() for the scalars a target or credential holds. */
function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}
