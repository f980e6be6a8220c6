/**
 * Parses oslo.policy check strings (and the legacy list-of-lists form) into a `Check` tree.
 *
 * Grammar, with oslo's precedence (`not` binds tightest, then `and`, then `or`):
 *
 *   expr    := andExpr ('or' andExpr)*
 *   andExpr := notExpr ('and' notExpr)*
 *   notExpr := 'not' notExpr | '(' expr ')' | check
 *   check   := '@' | '!' | 'rule:' NAME | 'role:' MATCH | ATTR ':' MATCH | QUOTED ':' MATCH
 *
 * Tokens are split on whitespace, and parentheses are peeled off each token's ends exactly as
 * oslo's `_parse_tokenize` does, so `(role:admin` opens a group but `%(project_id)s` stays whole.
 * Keywords are case-insensitive. Where oslo logs a bad rule and quietly denies, we refuse it
 * with a message, so a typo in policy.yaml fails at load time instead of locking users out.
 */
import { FALSE_CHECK, TRUE_CHECK, type Check, type Template } from './check';

/** A parse failure; the caller adds the rule name (see PolicySyntaxError). */
export class CheckSyntaxError extends Error {
  override readonly name = 'CheckSyntaxError';
}

type Token = { type: '(' | ')' | 'and' | 'or' | 'not' } | { type: 'check'; check: Check };

const ATTR_RE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
// oslo's remote `http:`/`https:` checks call out to a URL; we do not support them, and they must
// not be mistaken for a generic credential check.
const UNSUPPORTED_KINDS = new Set(['http', 'https']);

/**
 * Parse one check string.
 * @example parseCheckString('role:admin or project_id:%(project_id)s')
 */
export function parseCheckString(text: string): Check {
  const tokens = tokenize(text);
  // An empty (or blank) rule always passes, as oslo's "" does.
  if (tokens.length === 0) return TRUE_CHECK;
  let pos = 0;
  const peek = () => tokens[pos]?.type;

  function expr(): Check {
    const checks = [andExpr()];
    while (peek() === 'or') {
      pos++;
      checks.push(andExpr());
    }
    return checks.length === 1 ? checks[0]! : { kind: 'or', checks };
  }
  function andExpr(): Check {
    const checks = [notExpr()];
    while (peek() === 'and') {
      pos++;
      checks.push(notExpr());
    }
    return checks.length === 1 ? checks[0]! : { kind: 'and', checks };
  }
  function notExpr(): Check {
    const token = tokens[pos++];
    if (!token) throw new CheckSyntaxError('unexpected end of rule');
    switch (token.type) {
      case 'not':
        return { kind: 'not', check: notExpr() };
      case '(': {
        const inner = expr();
        if (tokens[pos++]?.type !== ')') throw new CheckSyntaxError('missing ")"');
        return inner;
      }
      case 'check':
        return token.check;
      default:
        throw new CheckSyntaxError(`unexpected "${token.type}"`);
    }
  }

  const check = expr();
  if (pos < tokens.length) throw new CheckSyntaxError(`unexpected "${tokens[pos]!.type}" after a complete rule`);
  return check;
}

/**
 * Parse the legacy JSON form: a list of alternatives, each a list of checks that must all pass.
 * `[]` always passes; a list whose alternatives are all empty never does (both as in oslo).
 * Each inner item is ONE check (oslo's `_parse_check`), not a full expression.
 * @example parseListRule([['role:admin'], ['project_id:%(project_id)s', 'role:member']])
 */
export function parseListRule(list: readonly unknown[]): Check {
  if (list.length === 0) return TRUE_CHECK;
  const alternatives: Check[] = [];
  for (const inner of list) {
    const items = typeof inner === 'string' ? [inner] : inner;
    if (!Array.isArray(items) || !items.every((x): x is string => typeof x === 'string')) {
      throw new CheckSyntaxError('a list rule must be a list of lists of check strings');
    }
    if (items.length === 0) continue;
    const checks = items.map((item) => parseCheck(item.trim()));
    alternatives.push(checks.length === 1 ? checks[0]! : { kind: 'and', checks });
  }
  if (alternatives.length === 0) return FALSE_CHECK;
  return alternatives.length === 1 ? alternatives[0]! : { kind: 'or', checks: alternatives };
}

/** A rule as found in a policy file or the defaults: a check string or a list rule. */
export function parseRule(value: unknown): Check {
  if (typeof value === 'string') return parseCheckString(value);
  if (Array.isArray(value)) return parseListRule(value);
  throw new CheckSyntaxError('must be a check string or a list of lists of check strings');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of text.split(/\s+/)) {
    if (raw === '') continue;
    let tok = raw;
    while (tok.startsWith('(')) {
      tokens.push({ type: '(' });
      tok = tok.slice(1);
    }
    let trailing = 0;
    while (tok.endsWith(')')) {
      trailing++;
      tok = tok.slice(0, -1);
    }
    const lowered = tok.toLowerCase();
    if (lowered === 'and' || lowered === 'or' || lowered === 'not') tokens.push({ type: lowered });
    else if (tok !== '') tokens.push({ type: 'check', check: parseCheck(tok) });
    for (let i = 0; i < trailing; i++) tokens.push({ type: ')' });
  }
  return tokens;
}

/** One check, e.g. `role:admin`, `is_admin:True`, `user_id:%(user_id)s`, `@`, `!`. */
function parseCheck(text: string): Check {
  if (text === '@') return TRUE_CHECK;
  if (text === '!') return FALSE_CHECK;
  const colon = text.indexOf(':');
  if (colon <= 0) throw new CheckSyntaxError(`"${text}" is not a check (expected kind:match, "@" or "!")`);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (kind === 'rule') {
    if (match === '') throw new CheckSyntaxError('"rule:" needs a rule name');
    return { kind: 'rule', name: match };
  }
  if (kind === 'role') {
    if (match === '') throw new CheckSyntaxError('"role:" needs a role name');
    return { kind: 'role', match: parseTemplate(match) };
  }
  const quoted = /^(['"])(.*)\1$/.exec(kind);
  if (quoted) return { kind: 'literal', value: quoted[2]!, match: parseTemplate(match) };
  if (UNSUPPORTED_KINDS.has(kind)) throw new CheckSyntaxError(`"${kind}:" remote checks are not supported`);
  if (!ATTR_RE.test(kind)) throw new CheckSyntaxError(`"${kind}" is not a credential attribute name`);
  return { kind: 'generic', attr: kind.split('.'), match: parseTemplate(match) };
}

/** Split `%(key)s` substitutions out of a match; `%%` is a literal `%`, any other `%` an error. */
function parseTemplate(text: string): Template {
  const parts: (string | { key: string })[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const pct = text.indexOf('%', i);
    if (pct < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, pct);
    if (text[pct + 1] === '%') {
      literal += '%';
      i = pct + 2;
      continue;
    }
    const m = /^%\(([^()]+)\)s/.exec(text.slice(pct));
    if (!m) throw new CheckSyntaxError(`bad substitution in "${text}" (use %(key)s, or %% for a literal %)`);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push({ key: m[1]! });
    i = pct + m[0].length;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}
