/**
 * Field builders for the config schema: each one turns the string an operator wrote (INI or
 * env) into a typed value, with ONE rule sentence used as the message of every issue it can
 * raise. The loader prefixes that sentence with the section/key and env variable, so a rule
 * reads as a predicate: "must be an integer from 0 to 65535".
 *
 * Inputs are `string | number` so defaults in the schema can be written as real numbers
 * (`v.optional(port(), 19996)`) while INI/env values arrive as strings.
 */
import * as v from 'valibot';

const INT_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const numberInput = v.union([v.string(), v.number()]);

/** Strict decimal parse: `Number('')`, `Number('0x10')` and `Number('1e3')` are not accepted. */
function toNumber(re: RegExp) {
  return (input: string | number): number => {
    if (typeof input === 'number') return input;
    const s = input.trim();
    return re.test(s) ? Number(s) : Number.NaN;
  };
}

/**
 * An integer in `[min, max]`.
 * @example v.optional(integer(1, 10_000), 1000)
 */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const rule =
    max === Number.MAX_SAFE_INTEGER
      ? `must be an integer >= ${min}`
      : `must be an integer from ${min} to ${max}`;
  return v.pipe(
    numberInput,
    v.transform(toNumber(INT_RE)),
    v.check((n) => Number.isSafeInteger(n) && n >= min && n <= max, rule),
    v.metadata({ type: 'integer value', rule }),
  );
}

/** A TCP port. 0 is allowed: the OS picks a free port (used by tests). */
export function port() {
  return v.pipe(integer(0, 65535), v.metadata({ type: 'port value' }));
}

/**
 * A duration in seconds, fractions allowed.
 * @param allowZero whether 0 is accepted (e.g. "no cache")
 */
export function seconds(allowZero = false) {
  const rule = allowZero ? 'must be a number of seconds >= 0' : 'must be a number of seconds > 0';
  return v.pipe(
    numberInput,
    v.transform(toNumber(DECIMAL_RE)),
    v.check((n) => Number.isFinite(n) && (allowZero ? n >= 0 : n > 0), rule),
    v.metadata({ type: 'floating point value', rule }),
  );
}

/** One of a fixed set of words (compared case-sensitively, as oslo's choices are). */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  const rule = `must be one of ${choices.join(', ')}`;
  return v.pipe(v.picklist(choices, rule), v.metadata({ type: 'string value', rule }));
}

/** `true` or `false`, as a boolean. */
export function boolean() {
  return v.pipe(oneOf(['true', 'false']), v.transform((s) => s === 'true'), v.metadata({ type: 'boolean value' }));
}

/** A non-empty string. */
export function text() {
  return v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.metadata({ type: 'string value' }));
}

/**
 * A non-empty string without control characters. Used for secrets: a pasted newline in a
 * password or token is always a mistake, and a CR/LF would break the HTTP header it goes into.
 */
export function printable() {
  return v.pipe(
    v.string(),
    // eslint-disable-next-line no-control-regex
    v.check((s) => s.length > 0 && !/[\u0000-\u001f\u007f]/.test(s), 'must be non-empty without control characters'),
    v.metadata({ type: 'string value' }),
  );
}

/** An IPv4/IPv6 address or a host name to listen on. */
export function host() {
  return v.pipe(
    v.string(),
    v.check(
      (s) => IPV4_RE.test(s) || HOSTNAME_RE.test(s) || isIpv6(s),
      'must be an IP address or a host name',
    ),
    v.metadata({ type: 'host address value' }),
  );
}

function isIpv6(s: string): boolean {
  if (!s.includes(':')) return false;
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/**
 * An absolute URL whose scheme is in `schemes`. With `trimSlash`, a trailing `/` is removed
 * so callers can append paths (`${public_url}/v2.1`) without doubling it.
 */
export function url(schemes: readonly string[], trimSlash = false) {
  const rule = `must be an absolute URL with scheme ${schemes.map((s) => `${s}:`).join(' or ')}`;
  return v.pipe(
    v.string(),
    v.check((s) => {
      try {
        const u = new URL(s);
        return schemes.includes(u.protocol.slice(0, -1)) && (u.protocol === 'file:' || u.host !== '');
      } catch {
        return false;
      }
    }, rule),
    v.transform((s) => (trimSlash ? s.replace(/\/+$/, '') : s)),
    v.metadata({ type: 'URI value', rule }),
  );
}

/** A public base URL for links: http(s), no query or fragment, trailing slash removed. */
export function publicUrl() {
  return v.pipe(
    url(['http', 'https'], true),
    v.check((s) => {
      const u = new URL(s);
      return u.search === '' && u.hash === '';
    }, 'must not contain a query or fragment'),
  );
}

/** A microversion of the given major, e.g. "2.79" for compute. */
export function microversion(major: number) {
  return v.pipe(
    v.string(),
    v.regex(new RegExp(`^${major}\\.(0|[1-9]\\d*)$`), `must be a microversion "${major}.N"`),
    v.metadata({ type: 'string value', rule: `must be a microversion "${major}.N"` }),
  );
}

/**
 * A setting with its help text, the one description of it: `trio2o config sample` prints it.
 * @example option('Seconds between replica syncs.', v.optional(seconds(), 1))
 */
export function option<const S extends v.GenericSchema>(help: string, schema: S) {
  return v.pipe(schema, v.metadata({ help }));
}

/** What `config sample` needs to know about one setting. */
export interface OptionInfo {
  help: string;
  /** oslo-config-generator's words: "integer value", "string value", ... */
  type: string;
  /** The validation rule, e.g. "must be an integer from 1 to 10000"; undefined when the type says it all. */
  rule?: string;
  /** undefined: unset unless configured. */
  default: unknown;
  secret: boolean;
}

type Meta = { help?: string; type?: string; rule?: string; secret?: boolean };
const metaOf = (s: v.GenericSchema) => v.getMetadata(s as Parameters<typeof v.getMetadata>[0]) as Meta;

/** Help, type, rule and default of a schema built with {@link option} (and optionally {@link secret}). */
export function optionInfo(schema: v.GenericSchema): OptionInfo {
  const outer = metaOf(schema);
  const opt = schema as v.GenericSchema & { wrapped?: v.GenericSchema; default?: unknown };
  const inner = opt.wrapped ? metaOf(opt.wrapped) : {};
  return { help: outer.help ?? '', type: inner.type ?? 'string value', rule: inner.rule, default: opt.default, secret: outer.secret === true };
}

/** Marks a setting as secret: its value never appears in messages and is redacted in logs. */
export function secret<const S extends v.GenericSchema>(schema: S) {
  return v.pipe(schema, v.metadata({ secret: true }));
}

/** True when the schema (or its pipe) was built with {@link secret}. */
export function isSecret(schema: v.GenericSchema): boolean {
  return (v.getMetadata(schema as Parameters<typeof v.getMetadata>[0]) as { secret?: boolean }).secret === true;
}
