/**
 * Request bodies checked in Cinder's words (cinder/api/validation/validators.py). Cinder reports
 * the first failed rule in one of two ways, and so does the wording here:
 * - a rule of its own (a format checker there, a `v.check` or `v.rawTransform` here) speaks a
 *   whole sentence, shown as is: "Volume type name can not be empty.";
 * - a schema keyword (type, required, length, enum) is jsonschema's phrase after the field and
 *   its value: "Invalid input for field/attribute size. Value: x. 'x' is not of type 'integer'".
 *   A property that is missing (or whose name is refused) is reported at the object holding it.
 * Values are printed as Python prints them (None, True, {'a': 1}), since Cinder's are.
 */
import * as v from 'valibot';
import { validate } from '../../http';

/** Python's repr() of a JSON value. */
export function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (x === true) return 'True';
  if (x === false) return 'False';
  if (typeof x === 'string') {
    const quote = x.includes("'") && !x.includes('"') ? '"' : "'";
    const body = x.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(', ')}]`;
  if (typeof x === 'object') return `{${Object.entries(x).map(([k, val]) => `${pyRepr(k)}: ${pyRepr(val)}`).join(', ')}}`;
  return String(x);
}

/** Python's str(): a string as it is, anything else as repr(). */
const pyStr = (x: unknown): string => (typeof x === 'string' ? x : pyRepr(x));

const fieldError = (field: PropertyKey, value: unknown, rule: string) => `Invalid input for field/attribute ${String(field)}. Value: ${pyStr(value)}. ${rule}`;

/** Issues of rules written here (`v.check`, `v.rawCheck`, `v.rawTransform`): whole sentences. */
const SENTENCES = new Set(['check', 'raw_check', 'raw_transform']);

/** The message of Cinder's 400 for the first failed rule of a body. */
export function cinderWording(issue: v.BaseIssue<unknown>): string {
  if (SENTENCES.has(issue.type)) return issue.message;
  const path = issue.path ?? [];
  const at = path.at(-1);
  if (at?.origin === 'key') {
    const holder = at.input as Record<PropertyKey, unknown>;
    const rule = Object.hasOwn(holder, at.key as PropertyKey) ? issue.message : `'${String(at.key)}' is a required property`;
    const outer = path.at(-2);
    return outer ? fieldError(outer.key as PropertyKey, holder, rule) : rule;
  }
  return at ? fieldError(at.key as PropertyKey, issue.input, issue.message) : issue.message;
}

/** Checks a body in Cinder's words; returns the schema's output. */
export function checkBody<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  return validate(schema, body, cinderWording);
}

/** jsonschema's type phrase: "7 is not of type 'string', 'null'". */
export const notOfType =
  (...types: string[]) =>
  (issue: v.BaseIssue<unknown>) =>
    `${pyRepr(issue.input)} is not of type ${types.map((t) => `'${t}'`).join(', ')}`;

export const tooShort = (issue: v.BaseIssue<unknown>) => `${pyRepr(issue.input)} is too short`;
export const tooLong = (issue: v.BaseIssue<unknown>) => `${pyRepr(issue.input)} is too long`;

const isJsonObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `{"<key>": ...}`: a body whose `key` member is an object checked by `schema` (other members
 * pass through to the pod). A body without the member as an object is Cinder's "Missing required
 * element" (wsgi.py assert_valid_body).
 */
export function member<K extends string, S extends v.GenericSchema>(key: K, schema: S) {
  return v.pipe(
    v.unknown(),
    v.check((body) => isJsonObject(body) && isJsonObject(body[key]), `Missing required element '${key}' in request body.`),
    v.looseObject({ [key]: schema } as { [P in K]: S }),
  );
}

/** An optional field that is a string or null (`null` reads as absent). */
export const nullableString = v.nullish(v.string(notOfType('string', 'null')));

/** A required id the gateway routes by: a non-empty string. */
export const requiredId = v.pipe(v.string(notOfType('string')), v.minLength(1, tooShort));

/**
 * The name a create asked for (Cinder also takes the older `display_name`), kept on the pending
 * routing so reconciliation can find the resource if the pod's answer is lost.
 */
export function nameOf(item: object): string | null {
  const r = item as { name?: unknown; display_name?: unknown };
  return typeof r.name === 'string' ? r.name : typeof r.display_name === 'string' ? r.display_name : null;
}
